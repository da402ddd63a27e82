/*
 * tab-relink.h - what other parts of the editor ask of the Relink tab.
 */
#ifndef TUI_TAB_RELINK_H
#define TUI_TAB_RELINK_H

#include "app.h"

/*
 * Start relinking `id` (a holdings MMS ID 22..., or an item 23...): it
 * becomes the Relink tab's source, with an empty target box (targets are
 * never remembered), and the tab comes to the front.
 */
void tui_relink_start(struct tui_app *app, const char *id);

#endif
