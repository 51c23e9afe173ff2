/* network.c: networks.d/NAME.json -> struct network, and its defaults
 * applied to an interface request. */
#include "network.h"

#include <errno.h>
#include <stdarg.h>
#include <linux/if_link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cleanup.h"
#include "io.h"
#include "json.h"
#include "lease.h"

#define NETWORK_FILE_MAX (64 * 1024)
#define MTU_MIN 68
#define MTU_MAX 65535

/* Where a value sits, for messages: "subnets[0].gateway". */
struct at {
	const char *path;
	char key[64];
};

__attribute__((format(printf, 3, 4))) static int bad(struct error *err, const struct at *at,
						     const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return error_set(err, EINVAL, "%s: %s: %s", at->path, at->key, what);
}

static int get_string(const struct json *v, const struct at *at, const char **out,
		      struct error *err)
{
	*out = json_string(v);
	return *out ? 0 : bad(err, at, "must be a string, not %s", json_type_name(v));
}

static int get_boolean(const struct json *v, const struct at *at, bool *out, struct error *err)
{
	return json_boolean(v, out)
		       ? 0
		       : bad(err, at, "must be true or false, not %s", json_type_name(v));
}

static int get_ranged(const struct json *v, const struct at *at, long long min, long long max,
		      unsigned *out, struct error *err)
{
	long long n;

	if (!json_integer(v, &n))
		return bad(err, at, "must be an integer, not %s", json_type_name(v));
	if (n < min || n > max)
		return bad(err, at, "%lld is out of range %lld..%lld", n, min, max);
	*out = (unsigned)n;
	return 0;
}

static int get_cidr(const struct json *v, const struct at *at, struct netaddr *out,
		    struct error *err)
{
	const char *s;

	if (get_string(v, at, &s, err) < 0)
		return -1;
	if (netaddr_parse_cidr(s, out) < 0)
		return bad(err, at, "\"%s\" is not a subnet in CIDR form (ADDR/PREFIX)", s);
	if (netaddr_has_host_bits(out))
		return bad(err, at, "%s has bits set after the prefix length", s);
	return 0;
}

static int get_ip(const struct json *v, const struct at *at, const struct subnet *sn,
		  struct netaddr *out, struct error *err)
{
	const char *s;

	if (get_string(v, at, &s, err) < 0)
		return -1;
	if (netaddr_parse_ip(s, out) < 0 || netaddr_is_special(out))
		return bad(err, at, "\"%s\" is not a usable IP address", s);
	if (!netaddr_contains(&sn->subnet, out))
		return bad(err, at, "%s is outside the subnet", s);
	out->prefix = sn->subnet.prefix;
	return 0;
}

/* aux_addresses: an object of NAME: IP (as Docker's --aux-address) or an array of IPs. */
static int parse_aux(const struct json *v, struct at *at, struct subnet *sn, struct error *err)
{
	size_t i, n = json_length(v), len = strlen(at->key);

	if (json_type(v) != JSON_OBJECT && json_type(v) != JSON_ARRAY)
		return bad(err, at, "must be an object or an array, not %s", json_type_name(v));
	if (n > MAX_AUX_ADDRESSES)
		return bad(err, at, "has more than %d addresses", MAX_AUX_ADDRESSES);
	for (i = 0; i < n; i++) {
		snprintf(at->key + len, sizeof(at->key) - len, "[%zu]", i);
		if (get_ip(json_at(v, i), at, sn, &sn->aux[i], err) < 0)
			return -1;
	}
	sn->n_aux = n;
	return 0;
}

static int parse_subnet_member(const char *key, const struct json *v, struct at *at,
			       struct subnet *sn, struct error *err)
{
	if (strcmp(key, "gateway") == 0)
		return get_ip(v, at, sn, &sn->gateway, err);
	if (strcmp(key, "ip_range") == 0) {
		if (get_cidr(v, at, &sn->range, err) < 0)
			return -1;
		if (sn->range.prefix < sn->subnet.prefix ||
		    !netaddr_contains(&sn->subnet, &sn->range))
			return bad(err, at, "is not inside the subnet");
		return 0;
	}
	if (strcmp(key, "aux_addresses") == 0)
		return parse_aux(v, at, sn, err);
	return bad(err, at, "unknown key");
}

static int parse_subnet(const struct json *obj, const char *path, size_t index, struct subnet *sn,
			struct error *err)
{
	struct at at = { .path = path };
	size_t i;

	snprintf(at.key, sizeof(at.key), "subnets[%zu]", index);
	if (json_type(obj) != JSON_OBJECT)
		return bad(err, &at, "must be an object, not %s", json_type_name(obj));
	snprintf(at.key, sizeof(at.key), "subnets[%zu].subnet", index);
	if (!json_member(obj, "subnet"))
		return bad(err, &at, "is missing");
	if (get_cidr(json_member(obj, "subnet"), &at, &sn->subnet, err) < 0)
		return -1;
	sn->range = sn->subnet;
	for (i = 0; i < json_length(obj); i++) {
		const char *key = json_key_at(obj, i);

		snprintf(at.key, sizeof(at.key), "subnets[%zu].%s", index, key);
		if (strcmp(key, "subnet") != 0 &&
		    parse_subnet_member(key, json_at(obj, i), &at, sn, err) < 0)
			return -1;
	}
	return 0;
}

static int parse_subnets(const struct json *v, struct at *at, struct network *net,
			 struct error *err)
{
	size_t i, n = json_length(v);

	if (json_type(v) != JSON_ARRAY || n == 0)
		return bad(err, at, "must be a non-empty array of subnet objects");
	if (n > MAX_SUBNETS)
		return bad(err, at, "has more than %d subnets", MAX_SUBNETS);
	for (i = 0; i < n; i++)
		if (parse_subnet(json_at(v, i), at->path, i, &net->subnets[i], err) < 0)
			return -1;
	net->n_subnets = n;
	return 0;
}

static int parse_member(const char *key, const struct json *v, struct at *at, struct network *net,
			struct error *err)
{
	const char *s;

	if (strcmp(key, "subnets") == 0)
		return parse_subnets(v, at, net, err);
	if (strcmp(key, "mtu") == 0)
		return get_ranged(v, at, MTU_MIN, MTU_MAX, &net->mtu, err);
	if (strcmp(key, "vlan") == 0)
		return get_ranged(v, at, 1, 4094, &net->vlan, err);
	if (strcmp(key, "dad") == 0)
		return get_boolean(v, at, &net->dad, err);
	if (strcmp(key, "host_shim") == 0)
		return 0; /* parse_host_shim(), once the subnets are known */
	if (strcmp(key, "promisc") == 0)
		return get_boolean(v, at, &net->promisc, err);
	if (get_string(v, at, &s, err) < 0)
		return -1;
	if (strcmp(key, "parent") == 0) {
		if (!s[0] || strlen(s) >= IFNAMSIZ)
			return bad(err, at, "\"%s\" is not a valid interface name", s);
		snprintf(net->parent, sizeof(net->parent), "%s", s);
		return 0;
	}
	net->mode = macvlan_mode_parse(s);
	return net->mode < 0 ? bad(err, at, "\"%s\" is not a macvlan mode", s) : 0;
}

/* host_shim.address: ADDR/PREFIX inside a subnet, at most one per family,
 * kept from the allocator as an aux address of its subnet. */
static int shim_address(const struct json *v, const struct at *at, struct network *net,
			struct error *err)
{
	struct netaddr *a = &net->shim_addresses[net->n_shim_addresses];
	struct subnet *sn = NULL;
	const char *s;
	size_t i;

	if (get_string(v, at, &s, err) < 0)
		return -1;
	if (netaddr_parse_cidr(s, a) < 0 || netaddr_is_special(a))
		return bad(err, at, "\"%s\" is not a usable address in CIDR form (ADDR/PREFIX)", s);
	for (i = 0; i < net->n_shim_addresses; i++)
		if (net->shim_addresses[i].family == a->family)
			return bad(err, at, "%s is a second %s address", s,
				   netaddr_family_name(a->family));
	for (i = 0; i < net->n_subnets && !sn; i++)
		if (netaddr_contains(&net->subnets[i].subnet, a))
			sn = &net->subnets[i];
	if (!sn)
		return bad(err, at, "%s is outside every subnet", s);
	if (netaddr_same_ip(&sn->gateway, a))
		return bad(err, at, "%s is the subnet's gateway", s);
	if (sn->n_aux == MAX_AUX_ADDRESSES)
		return bad(err, at, "%s does not fit beside %d aux addresses", s,
			   MAX_AUX_ADDRESSES);
	sn->aux[sn->n_aux] = *a;
	sn->aux[sn->n_aux++].prefix = sn->subnet.prefix;
	net->n_shim_addresses++;
	return 0;
}

static bool shim_has_family(const struct network *net, int family)
{
	size_t i;

	for (i = 0; i < net->n_shim_addresses; i++)
		if (net->shim_addresses[i].family == family)
			return true;
	return false;
}

/* A string, or an array of 1 or 2 strings. */
static int shim_addresses(const struct json *v, struct at *at, struct network *net,
			  struct error *err)
{
	size_t i, n = json_length(v), len = strlen(at->key);

	if (json_type(v) != JSON_ARRAY)
		return shim_address(v, at, net, err);
	if (n == 0 || n > 2)
		return bad(err, at, "must hold one address per family, IPv4 and/or IPv6");
	for (i = 0; i < n; i++) {
		snprintf(at->key + len, sizeof(at->key) - len, "[%zu]", i);
		if (shim_address(json_at(v, i), at, net, err) < 0)
			return -1;
	}
	return 0;
}

/* host_shim.routes: CIDRs of a family the shim has an address of; by
 * default each such subnet's ip_range. */
static int shim_routes(const struct json *v, struct at *at, struct network *net, struct error *err)
{
	size_t i, n = v ? json_length(v) : 0, len = strlen(at->key);
	struct netaddr *r = net->shim_routes;

	if (!v) {
		for (i = 0; i < net->n_subnets && net->n_shim_routes < MAX_SHIM_ROUTES; i++)
			if (shim_has_family(net, net->subnets[i].subnet.family))
				r[net->n_shim_routes++] = net->subnets[i].range;
		return 0;
	}
	if (json_type(v) != JSON_ARRAY || n == 0)
		return bad(err, at, "must be a non-empty array of CIDRs");
	if (n > MAX_SHIM_ROUTES)
		return bad(err, at, "has more than %d routes", MAX_SHIM_ROUTES);
	for (i = 0; i < n; i++) {
		char buf[NETADDR_STRLEN];

		snprintf(at->key + len, sizeof(at->key) - len, "[%zu]", i);
		if (get_cidr(json_at(v, i), at, &r[i], err) < 0)
			return -1;
		if (!shim_has_family(net, r[i].family))
			return bad(err, at, "%s: the shim has no %s address",
				   netaddr_cidr_str(&r[i], buf), netaddr_family_name(r[i].family));
	}
	net->n_shim_routes = n;
	return 0;
}

static int parse_host_shim(const struct json *v, const char *path, struct network *net,
			   struct error *err)
{
	struct at at = { .path = path, .key = "host_shim" };
	size_t i;

	if (json_type(v) != JSON_OBJECT)
		return bad(err, &at, "must be an object, not %s", json_type_name(v));
	for (i = 0; i < json_length(v); i++) {
		snprintf(at.key, sizeof(at.key), "host_shim.%s", json_key_at(v, i));
		if (strcmp(json_key_at(v, i), "address") != 0 &&
		    strcmp(json_key_at(v, i), "routes") != 0)
			return bad(err, &at, "unknown key");
	}
	snprintf(at.key, sizeof(at.key), "host_shim.address");
	if (!json_member(v, "address"))
		return bad(err, &at, "is missing");
	if (shim_addresses(json_member(v, "address"), &at, net, err) < 0)
		return -1;
	snprintf(at.key, sizeof(at.key), "host_shim.routes");
	return shim_routes(json_member(v, "routes"), &at, net, err);
}

static bool known_key(const char *key)
{
	static const char *const keys[] = { "parent",  "mode", "mtu",	    "vlan",
					    "subnets", "dad",  "host_shim", "promisc" };
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i], key) == 0)
			return true;
	return false;
}

int network_parse(const char *name, const char *path, const char *text, struct network *net,
		  struct error *err)
{
	_cleanup_json_ struct json *doc = NULL;
	struct at at = { .path = path };
	size_t i;

	memset(net, 0, sizeof(*net));
	snprintf(net->name, sizeof(net->name), "%s", name);
	snprintf(net->path, sizeof(net->path), "%s", path);
	net->mode = MACVLAN_MODE_BRIDGE;
	if (json_parse(text, &doc, err) < 0)
		return error_prefix(err, "%s", path);
	if (json_type(doc) != JSON_OBJECT)
		return error_set(err, EINVAL, "%s: must be a JSON object, not %s", path,
				 json_type_name(doc));
	for (i = 0; i < json_length(doc); i++) {
		snprintf(at.key, sizeof(at.key), "%s", json_key_at(doc, i));
		if (!known_key(at.key))
			return bad(err, &at, "unknown key");
		if (parse_member(at.key, json_at(doc, i), &at, net, err) < 0)
			return -1;
	}
	if (!net->parent[0])
		return error_set(err, EINVAL, "%s: parent: is missing", path);
	if (!net->n_subnets)
		return error_set(err, EINVAL, "%s: subnets: is missing", path);
	return json_member(doc, "host_shim")
		       ? parse_host_shim(json_member(doc, "host_shim"), path, net, err)
		       : 0;
}

static const char *networks_dir(void)
{
	const char *dir = getenv("OCI_MACVLAN_NETWORKS_DIR");

	return dir && dir[0] ? dir : NETWORKS_DIR;
}

int network_name_check(const char *name, struct error *err)
{
	size_t n = strlen(name);

	if (n < MAX_NETWORK_NAME && state_file_name(name) &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n)
		return 0;
	return error_set(err, EINVAL, "\"%s\" is not a valid network name", name);
}

int network_load(const char *name, struct network *net, struct error *err)
{
	_cleanup_free_ char *text = NULL;
	char path[PATH_MAX];
	size_t len;

	snprintf(path, sizeof(path), "%s/%s.json", networks_dir(), name);
	if (read_all_file(path, NETWORK_FILE_MAX, &text, &len, err) < 0) {
		if (err->code == ENOENT)
			return error_set(err, ENOENT, "network \"%s\" is not defined: no %s", name,
					 path);
		return -1;
	}
	return network_parse(name, path, text, net, err);
}

static const struct subnet *subnet_of(const struct network *net, const struct netaddr *ip)
{
	size_t i;

	for (i = 0; i < net->n_subnets; i++)
		if (netaddr_contains(&net->subnets[i].subnet, ip))
			return &net->subnets[i];
	return NULL;
}

static int check_static_addresses(const struct network *net, const struct iface_request *ifc,
				  struct error *err)
{
	char ip[NETADDR_STRLEN];
	size_t i, j;

	for (i = 0; i < ifc->n_addresses; i++) {
		if (!subnet_of(net, &ifc->addresses[i]))
			return error_set(err, EINVAL,
					 "%saddress: %s is outside every subnet of network \"%s\"",
					 ifc->where, netaddr_cidr_str(&ifc->addresses[i], ip),
					 net->name);
		for (j = 0; j < net->n_shim_addresses; j++)
			if (netaddr_same_ip(&net->shim_addresses[j], &ifc->addresses[i]))
				return error_set(err, EADDRINUSE,
						 "%saddress: %s is the host shim's address in "
						 "network \"%s\"",
						 ifc->where, netaddr_ip_str(&ifc->addresses[i], ip),
						 net->name);
	}
	return 0;
}

/* The network's gateways, one per family, for the families the container did not set. */
static void apply_gateways(const struct network *net, struct iface_request *ifc)
{
	size_t i, j;
	bool have;

	for (i = 0; i < net->n_subnets && ifc->n_gateways < 2; i++) {
		const struct netaddr *gw = &net->subnets[i].gateway;

		for (have = false, j = 0; j < ifc->n_gateways; j++)
			have = have || ifc->gateways[j].family == gw->family;
		if (gw->family && !have) {
			ifc->gateways[ifc->n_gateways] = *gw;
			ifc->gateways[ifc->n_gateways++].prefix = netaddr_bits(gw);
		}
	}
}

int network_apply(const struct network *net, struct iface_request *ifc, struct error *err)
{
	if (check_static_addresses(net, ifc, err) < 0)
		return -1;
	if (!ifc->parent[0])
		snprintf(ifc->parent, sizeof(ifc->parent), "%s", net->parent);
	if (ifc->mode < 0)
		ifc->mode = net->mode;
	if (!ifc->mtu)
		ifc->mtu = net->mtu;
	if (!ifc->vlan)
		ifc->vlan = net->vlan;
	if (ifc->dad == DAD_DEFAULT)
		ifc->dad = net->dad ? DAD_ON : DAD_OFF;
	ifc->promisc = net->promisc;
	apply_gateways(net, ifc);
	return 0;
}
