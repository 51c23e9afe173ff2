/* wireless.h: is a network interface a Wi-Fi NIC?
 *
 * macvlan does not work over Wi-Fi: an access point drops frames from MAC
 * addresses that have not associated with it, so the hook refuses such a
 * parent. */
#pragma once

#include <stdbool.h>

#define SYSFS_NET "/sys/class/net"

/* True when sysfs_net/NAME has "wireless" or "phy80211". sysfs shows the
 * interfaces of the network namespace it was mounted for, normally the
 * runtime's; when NAME there is another interface (its ifindex differs)
 * nothing can be told and the answer is false. */
bool wireless_interface(const char *sysfs_net, const char *name, int ifindex);
