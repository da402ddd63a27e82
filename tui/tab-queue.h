/*
 * tab-queue.h - what other parts of the editor ask of the Queue tab.
 */
#ifndef TUI_TAB_QUEUE_H
#define TUI_TAB_QUEUE_H

#include "app.h"

/*
 * Share with Network (SPEC §3.4): show the network zone candidates of IZ
 * bib `mms` one by one in the Queue tab, beside the record in the left
 * pane, to pick one and link; when there is none, offer to contribute the
 * record as a new network record.
 */
void tui_queue_share(struct tui_app *app, const char *mms);

#endif
