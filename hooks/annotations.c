/* annotations.c: oci-macvlan/ annotations -> hook_request. */
#include "annotations.h"

#include <ctype.h>
#include <errno.h>
#include <linux/if_link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "json.h"
#include "network.h"

#define MTU_MIN 68
#define MTU_MAX 65535
#define IPV6_MTU_MIN 1280

/* Applies one value of a field to an interface; messages start with the value. */
typedef int (*field_fn)(struct iface_request *ifc, const char *value, struct error *err);

static int valid_ifname(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= IFNAMSIZ || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || isspace((unsigned char)s[i]) ||
		    !isprint((unsigned char)s[i]))
			return 0;
	return 1;
}

/* A decimal number within min..max. */
static int parse_ranged(const char *v, unsigned long min, unsigned long max, unsigned *out,
			struct error *err)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = isdigit((unsigned char)v[0]) ? strtoul(v, &end, 10) : 0;
	if (!isdigit((unsigned char)v[0]) || *end)
		return error_set(err, EINVAL, "\"%s\" is not a number", v);
	if (errno || n < min || n > max)
		return error_set(err, ERANGE, "%s is out of range %lu..%lu", v, min, max);
	*out = n;
	return 0;
}

static int field_parent(struct iface_request *ifc, const char *v, struct error *err)
{
	if (!valid_ifname(v))
		return error_set(err, EINVAL, "\"%s\" is not a valid interface name", v);
	snprintf(ifc->parent, sizeof(ifc->parent), "%s", v);
	return 0;
}

static int field_ifname(struct iface_request *ifc, const char *v, struct error *err)
{
	if (!valid_ifname(v))
		return error_set(err, EINVAL,
				 "\"%s\" is not a valid interface name (1-15 characters, no '/', "
				 "':' or spaces)",
				 v);
	snprintf(ifc->ifname, sizeof(ifc->ifname), "%s", v);
	return 0;
}

static int field_address(struct iface_request *ifc, const char *v, struct error *err)
{
	struct netaddr a;

	if (netaddr_parse_cidr(v, &a) < 0)
		return error_set(err, EINVAL, "\"%s\" is not an address in CIDR form (ADDR/PREFIX)",
				 v);
	if (a.prefix == 0 || netaddr_is_special(&a))
		return error_set(err, EINVAL, "%s is not a usable host address", v);
	if (a.family == AF_INET && a.prefix < 31 &&
	    (!netaddr_has_host_bits(&a) || netaddr_host_bits_all_ones(&a)))
		return error_set(err, EINVAL, "%s is the %s address of its subnet", v,
				 netaddr_has_host_bits(&a) ? "broadcast" : "network");
	if (ifc->n_addresses == MAX_ADDRESSES)
		return error_set(err, E2BIG, "%s is one address too many (at most %d)", v,
				 MAX_ADDRESSES);
	ifc->addresses[ifc->n_addresses++] = a;
	return 0;
}

static int field_gateway(struct iface_request *ifc, const char *v, struct error *err)
{
	struct netaddr g;
	char other[NETADDR_STRLEN];
	size_t i;

	if (netaddr_parse_ip(v, &g) < 0)
		return error_set(err, EINVAL, "\"%s\" is not an IP address", v);
	if (netaddr_is_special(&g))
		return error_set(err, EINVAL, "%s is not a usable gateway address", v);
	for (i = 0; i < ifc->n_gateways; i++)
		if (ifc->gateways[i].family == g.family)
			return error_set(err, EINVAL,
					 "%s and %s are two %s gateways; at most one per family",
					 netaddr_ip_str(&ifc->gateways[i], other), v,
					 netaddr_family_name(g.family));
	ifc->gateways[ifc->n_gateways++] = g;
	return 0;
}

/* "DST" or "DST via GW"; DST is a CIDR or a single address. */
static int field_routes(struct iface_request *ifc, const char *v, struct error *err)
{
	_cleanup_free_ char *copy = strdup(v);
	struct route_request r = { 0 };
	char *words[4], *save = NULL;
	size_t n = 0;

	if (!copy)
		return error_sys(err, ENOMEM, "\"%s\"", v);
	for (char *w = strtok_r(copy, " \t", &save); w && n < 4; w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	if (!(n == 1 || (n == 3 && strcmp(words[1], "via") == 0)))
		return error_set(err, EINVAL, "\"%s\" is not a route (DST[ via GW])", v);
	if (netaddr_parse_cidr(words[0], &r.dst) < 0 && netaddr_parse_ip(words[0], &r.dst) < 0)
		return error_set(err, EINVAL, "\"%s\": \"%s\" is not a destination in CIDR form", v,
				 words[0]);
	if (netaddr_has_host_bits(&r.dst))
		return error_set(err, EINVAL, "\"%s\": %s has bits set after the prefix length", v,
				 words[0]);
	if (n == 3 && (netaddr_parse_ip(words[2], &r.via) < 0 || netaddr_is_special(&r.via)))
		return error_set(err, EINVAL, "\"%s\": \"%s\" is not a gateway address", v,
				 words[2]);
	if (n == 3 && r.via.family != r.dst.family)
		return error_set(err, EINVAL,
				 "\"%s\": the gateway is not of the destination's family", v);
	if (ifc->n_routes == MAX_ROUTES)
		return error_set(err, E2BIG, "\"%s\" is one route too many (at most %d)", v,
				 MAX_ROUTES);
	ifc->routes[ifc->n_routes++] = r;
	return 0;
}

static int field_mode(struct iface_request *ifc, const char *v, struct error *err)
{
	int mode = macvlan_mode_parse(v);

	if (mode < 0)
		return error_set(err, EINVAL,
				 "\"%s\" is not a macvlan mode (bridge, private, vepa, passthru, "
				 "source)",
				 v);
	ifc->mode = mode;
	return 0;
}

static int field_mtu(struct iface_request *ifc, const char *v, struct error *err)
{
	return parse_ranged(v, MTU_MIN, MTU_MAX, &ifc->mtu, err);
}

static int field_mac(struct iface_request *ifc, const char *v, struct error *err)
{
	if (mac_parse(v, ifc->mac) < 0)
		return error_set(err, EINVAL, "\"%s\" is not a MAC address (xx:xx:xx:xx:xx:xx)", v);
	if (mac_is_multicast(ifc->mac))
		return error_set(err, EINVAL, "%s is a multicast address, not a unicast one", v);
	if (mac_is_zero(ifc->mac))
		return error_set(err, EINVAL, "%s is not a usable unicast address", v);
	ifc->has_mac = true;
	return 0;
}

static int field_vlan(struct iface_request *ifc, const char *v, struct error *err)
{
	return parse_ranged(v, 1, 4094, &ifc->vlan, err);
}

static int field_dad(struct iface_request *ifc, const char *v, struct error *err)
{
	if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
		return error_set(err, EINVAL, "\"%s\" is neither on nor off", v);
	ifc->dad = strcmp(v, "on") == 0 ? DAD_ON : DAD_OFF;
	return 0;
}

static int field_network(struct iface_request *ifc, const char *v, struct error *err)
{
	if (network_name_check(v, err) < 0)
		return -1;
	snprintf(ifc->network, sizeof(ifc->network), "%s", v);
	return 0;
}

static const struct field {
	const char *name;
	field_fn apply;
	bool list; /* comma-separated in annotations; an array in interfaces */
	bool number;
} fields[] = {
	{ "parent", field_parent, false, false },  { "address", field_address, true, false },
	{ "gateway", field_gateway, true, false }, { "routes", field_routes, true, false },
	{ "mode", field_mode, false, false },	   { "mtu", field_mtu, false, true },
	{ "mac", field_mac, false, false },	   { "ifname", field_ifname, false, false },
	{ "vlan", field_vlan, false, true },	   { "network", field_network, false, false },
	{ "dad", field_dad, false, false },
};

static const struct field *field_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

static char *trim(char *s)
{
	char *end = s + strlen(s);

	while (isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Applies a value; for list fields each comma-separated item in turn. */
static int field_apply(struct iface_request *ifc, const struct field *f, const char *value,
		       struct error *err)
{
	_cleanup_free_ char *copy = strdup(value);
	char *item, *next;
	int r = 0;

	if (!copy)
		return error_sys(err, ENOMEM, "%s%s", ifc->where, f->name);
	for (item = copy; item && r == 0; item = next) {
		next = f->list ? strchr(item, ',') : NULL;
		if (next)
			*next++ = '\0';
		item = trim(item);
		if (f->list && !item[0])
			r = error_set(err, EINVAL, "\"%s\" has an empty item", value);
		else
			r = f->apply(ifc, item, err);
	}
	if (r < 0)
		return error_prefix(err, "%s%s", ifc->where, f->name);
	return 0;
}

/* One member of an oci-macvlan/interfaces object: string, number or list. */
static int field_apply_json(struct iface_request *ifc, const struct field *f, const struct json *v,
			    struct error *err)
{
	char number[24];
	long long n;
	size_t i;

	if (json_type(v) == JSON_STRING)
		return field_apply(ifc, f, json_string(v), err);
	if (f->number && json_integer(v, &n)) {
		snprintf(number, sizeof(number), "%lld", n);
		return field_apply(ifc, f, number, err);
	}
	if (!f->list || json_type(v) != JSON_ARRAY)
		return error_set(err, EINVAL, "%s%s: must be a string%s, not %s", ifc->where,
				 f->name, f->number ? " or an integer" : "", json_type_name(v));
	for (i = 0; i < json_length(v); i++) {
		if (json_type(json_at(v, i)) != JSON_STRING)
			return error_set(err, EINVAL, "%s%s: item %zu must be a string, not %s",
					 ifc->where, f->name, i, json_type_name(json_at(v, i)));
		if (field_apply(ifc, f, json_string(json_at(v, i)), err) < 0)
			return -1;
	}
	return 0;
}

static void iface_init(struct iface_request *ifc, const char *where, size_t index)
{
	memset(ifc, 0, sizeof(*ifc));
	snprintf(ifc->where, sizeof(ifc->where), "%s", where);
	snprintf(ifc->ifname, sizeof(ifc->ifname), "eth%zu", index);
	ifc->mode = MODE_UNSET;
}

static int parse_interface_object(const struct json *obj, struct iface_request *ifc, size_t index,
				  struct error *err)
{
	char where[sizeof(ifc->where)];
	size_t i;

	snprintf(where, sizeof(where), ANNOTATION_PREFIX "interfaces[%zu].", index);
	iface_init(ifc, where, index);
	if (json_type(obj) != JSON_OBJECT)
		return error_set(err, EINVAL,
				 ANNOTATION_PREFIX "interfaces[%zu]: must be an object, not %s",
				 index, json_type_name(obj));
	for (i = 0; i < json_length(obj); i++) {
		const struct field *f = field_find(json_key_at(obj, i));

		if (!f)
			return error_set(err, EINVAL, "%s%s: unknown key", where,
					 json_key_at(obj, i));
		if (field_apply_json(ifc, f, json_at(obj, i), err) < 0)
			return -1;
	}
	return 0;
}

static int parse_interfaces(const char *value, struct hook_request *req, struct error *err)
{
	_cleanup_json_ struct json *doc = NULL;
	size_t i, n;

	if (json_parse(value, &doc, err) < 0)
		return error_prefix(err, ANNOTATION_PREFIX "interfaces");
	n = json_length(doc);
	if (json_type(doc) != JSON_ARRAY || n == 0)
		return error_set(err, EINVAL,
				 ANNOTATION_PREFIX "interfaces: must be a non-empty JSON array of "
						   "objects");
	if (n > MAX_INTERFACES)
		return error_set(err, E2BIG,
				 ANNOTATION_PREFIX "interfaces: %zu interfaces, at most %d", n,
				 MAX_INTERFACES);
	for (i = 0; i < n; i++)
		if (parse_interface_object(json_at(doc, i), &req->ifaces[i], i, err) < 0)
			return -1;
	req->n = n;
	return 0;
}

/* Keys of the single-interface form, applied in the SPEC table's order so
 * that messages do not depend on the runtime's ordering of annotations. */
static int parse_single(const struct oci_state *st, struct hook_request *req, struct error *err)
{
	struct iface_request *ifc = &req->ifaces[0];
	char key[64];
	size_t i;

	iface_init(ifc, ANNOTATION_PREFIX, 0);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *value;

		snprintf(key, sizeof(key), ANNOTATION_PREFIX "%s", fields[i].name);
		value = oci_state_annotation(st, key);
		if (value && field_apply(ifc, &fields[i], value, err) < 0)
			return -1;
	}
	req->n = 1;
	return 0;
}

/* Refuses unknown keys and the mix of interfaces with single-interface keys. */
static int check_keys(const struct oci_state *st, bool *any, bool *multi, struct error *err)
{
	const char *single = NULL;
	size_t i;

	*any = *multi = false;
	for (i = 0; i < st->n_annotations; i++) {
		const char *key = st->annotations[i].key;
		const char *name = key + strlen(ANNOTATION_PREFIX);

		if (strncmp(key, ANNOTATION_PREFIX, strlen(ANNOTATION_PREFIX)) != 0)
			continue;
		*any = true;
		if (strcmp(name, "interfaces") == 0)
			*multi = true;
		else if (field_find(name))
			single = key;
		else
			return error_set(err, EINVAL, "%s: unknown key", key);
	}
	if (*multi && single)
		return error_set(err, EINVAL,
				 "%s: cannot be combined with " ANNOTATION_PREFIX
				 "interfaces; put it in an interface object",
				 single);
	return 0;
}

static bool is_own_address(const struct iface_request *ifc, const struct netaddr *ip)
{
	size_t i;

	for (i = 0; i < ifc->n_addresses; i++)
		if (netaddr_same_ip(&ifc->addresses[i], ip))
			return true;
	return false;
}

/* A gateway or route via must be on a subnet of one of the addresses
 * (IPv6 link-local gateways are always on-link). */
static bool on_link(const struct iface_request *ifc, const struct netaddr *gw)
{
	size_t i;

	if (gw->family == AF_INET6 && netaddr_is_link_local(gw))
		return true;
	for (i = 0; i < ifc->n_addresses; i++)
		if (netaddr_contains(&ifc->addresses[i], gw))
			return true;
	return false;
}

static int check_gateways(const struct iface_request *ifc, struct error *err)
{
	char ip[NETADDR_STRLEN];
	size_t i;

	for (i = 0; i < ifc->n_gateways; i++)
		if (is_own_address(ifc, &ifc->gateways[i]))
			return error_set(err, EINVAL,
					 "%sgateway: %s is the container's own address", ifc->where,
					 netaddr_ip_str(&ifc->gateways[i], ip));
		else if (!on_link(ifc, &ifc->gateways[i]))
			return error_set(err, EINVAL,
					 "%sgateway: %s is outside every %s subnet of %saddress",
					 ifc->where, netaddr_ip_str(&ifc->gateways[i], ip),
					 netaddr_family_name(ifc->gateways[i].family), ifc->where);
	for (i = 0; i < ifc->n_routes; i++)
		if (ifc->routes[i].via.family && !on_link(ifc, &ifc->routes[i].via))
			return error_set(
				err, EINVAL,
				"%sroutes: gateway %s is outside every %s subnet of %saddress",
				ifc->where, netaddr_ip_str(&ifc->routes[i].via, ip),
				netaddr_family_name(ifc->routes[i].via.family), ifc->where);
	return 0;
}

static int check_interface(const struct iface_request *ifc, struct error *err)
{
	size_t i;

	if (check_gateways(ifc, err) < 0)
		return -1;
	if (ifc->mtu && ifc->mtu < IPV6_MTU_MIN)
		for (i = 0; i < ifc->n_addresses; i++)
			if (ifc->addresses[i].family == AF_INET6)
				return error_set(err, EINVAL,
						 "%smtu: %u is below IPv6's minimum %d, and "
						 "%saddress has an IPv6 address",
						 ifc->where, ifc->mtu, IPV6_MTU_MIN, ifc->where);
	return 0;
}

/* Across interfaces: distinct names, one default gateway per family. */
static int check_request(const struct hook_request *req, struct error *err)
{
	char a[NETADDR_STRLEN], b[NETADDR_STRLEN];
	size_t i, j, g, h;

	for (i = 0; i < req->n; i++) {
		if (check_interface(&req->ifaces[i], err) < 0)
			return -1;
		for (j = 0; j < i; j++) {
			const struct iface_request *x = &req->ifaces[j], *y = &req->ifaces[i];

			if (strcmp(x->ifname, y->ifname) == 0)
				return error_set(err, EINVAL,
						 "%sifname: \"%s\" is already used by "
						 "interfaces[%zu]",
						 y->where, y->ifname, j);
			for (g = 0; g < y->n_gateways; g++)
				for (h = 0; h < x->n_gateways; h++)
					if (x->gateways[h].family == y->gateways[g].family)
						return error_set(
							err, EINVAL,
							"%sgateway: %s and %s are two %s default "
							"gateways; at most one per family",
							y->where,
							netaddr_ip_str(&x->gateways[h], a),
							netaddr_ip_str(&y->gateways[g], b),
							netaddr_family_name(y->gateways[g].family));
		}
	}
	return 0;
}

int annotations_check(const struct hook_request *req, struct error *err)
{
	return check_request(req, err);
}

/* Without a network, what the container did not set takes its default. An
 * interface on a network is checked once the network filled it in. */
static bool apply_defaults(struct hook_request *req)
{
	bool networks = false;
	size_t i;

	for (i = 0; i < req->n; i++)
		if (req->ifaces[i].network[0])
			networks = true;
		else if (req->ifaces[i].mode == MODE_UNSET)
			req->ifaces[i].mode = MACVLAN_MODE_BRIDGE;
	return networks;
}

int annotations_parse(const struct oci_state *st, struct hook_request *req, struct error *err)
{
	bool any, multi;
	int r;

	memset(req, 0, sizeof(*req));
	if (check_keys(st, &any, &multi, err) < 0)
		return -1;
	if (!any)
		return 0;
	if (multi)
		r = parse_interfaces(oci_state_annotation(st, ANNOTATION_PREFIX "interfaces"), req,
				     err);
	else
		r = parse_single(st, req, err);
	if (r < 0 || (!apply_defaults(req) && check_request(req, err) < 0)) {
		req->n = 0;
		return -1;
	}
	return 0;
}
