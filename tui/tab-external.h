/*
 * tab-external.h - what other parts of the editor ask of the External tab
 * (copy cataloging from Z39.50 and SRU targets, SPEC §3.5).
 */
#ifndef TUI_TAB_EXTERNAL_H
#define TUI_TAB_EXTERNAL_H

#include "app.h"

#include "record.h"

#include <stddef.h>

/*
 * A query that finds r elsewhere, into out (size bytes): its OCLC number
 * (oclc=N), else its ISBN (isbn=N), else the phrase of its 245 $a
 * (title="..."); "" when r has none of them.  The tab offers it when it
 * is shown with an empty query box.
 */
void tui_external_query_for(const struct marc_record *r, char *out, size_t size);

#endif
