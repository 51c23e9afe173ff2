/* undo.h: rollback of multi-step work.
 *
 * Each step that changes the system registers how to take the change back;
 * on failure undo_run() takes them back in reverse order, on success
 * undo_forget() keeps the changes. */
#pragma once

#include <stddef.h>

typedef void (*undo_fn)(void *data);

struct undo_step {
	undo_fn fn;
	void *data;
	void (*free_data)(void *data);
};

struct undo {
	struct undo_step steps[32];
	size_t n;
};

/* Registers fn(data); free_data (may be NULL) releases data afterwards.
 * Returns -1 when the stack is full (the caller then undoes at once). */
int undo_push(struct undo *u, undo_fn fn, void *data, void (*free_data)(void *));
/* Runs the registered steps, newest first, and empties the stack. */
void undo_run(struct undo *u);
/* Forgets the registered steps without running them. */
void undo_forget(struct undo *u);
