/* request.c: names of macvlan modes; questions about a request. */
#include "request.h"

#include <linux/if_link.h>
#include <string.h>

static const struct {
	const char *name;
	int mode;
} modes[] = {
	{ "bridge", MACVLAN_MODE_BRIDGE }, { "private", MACVLAN_MODE_PRIVATE },
	{ "vepa", MACVLAN_MODE_VEPA },	   { "passthru", MACVLAN_MODE_PASSTHRU },
	{ "source", MACVLAN_MODE_SOURCE },
};

int macvlan_mode_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(modes[i].name, name) == 0)
			return modes[i].mode;
	return -1;
}

const char *macvlan_mode_name(int mode)
{
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (modes[i].mode == mode)
			return modes[i].name;
	return NULL;
}

bool iface_has_family(const struct iface_request *ifc, int family)
{
	size_t i;

	for (i = 0; i < ifc->n_addresses; i++)
		if (ifc->addresses[i].family == family)
			return true;
	return false;
}
