/* undo.c: a stack of rollback steps. */
#include "undo.h"

int undo_push(struct undo *u, undo_fn fn, void *data, void (*free_data)(void *))
{
	if (u->n == sizeof(u->steps) / sizeof(u->steps[0])) {
		fn(data);
		if (free_data)
			free_data(data);
		return -1;
	}
	u->steps[u->n++] = (struct undo_step){ fn, data, free_data };
	return 0;
}

static void undo_release(struct undo *u, int run)
{
	while (u->n > 0) {
		struct undo_step *s = &u->steps[--u->n];

		if (run)
			s->fn(s->data);
		if (s->free_data)
			s->free_data(s->data);
	}
}

void undo_run(struct undo *u)
{
	undo_release(u, 1);
}

void undo_forget(struct undo *u)
{
	undo_release(u, 0);
}
