/*
 * tabs.c - the tabs of the right pane, in the order of the tab bar (SPEC §5):
 * Search, External, Relink, Holdings & items, Notes, Reminders, Versions,
 * Queue.  NULL-terminated.
 */
#include "app-int.h"

extern const struct tui_tab_ops tui_tab_search, tui_tab_notes, tui_tab_versions;
extern const struct tui_tab_ops tui_tab_reminders, tui_tab_external;
extern const struct tui_tab_ops tui_tab_relink, tui_tab_holdings, tui_tab_queue;

const struct tui_tab_ops *const tui_tabs[TUI_NTABS + 1] = {
    &tui_tab_search,
    &tui_tab_external,
    &tui_tab_relink,
    &tui_tab_holdings,
    &tui_tab_notes,
    &tui_tab_reminders,
    &tui_tab_versions,
    &tui_tab_queue,
    NULL,
};
