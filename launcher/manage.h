/* manage.h: the commands about existing containers: ps, state, exec, kill,
 * delete. */
#pragma once

#include "error.h"

/* Runs argv[0] (ps, state, exec, kill, delete); returns the exit status, or
 * a negative status with err set. */
int manage_command(int argc, char **argv, struct error *err);
