/*
 * diag.c - building and formatting diagnostics (see diag.h), and the way
 * every message shows a byte (marc_show_byte, marc-int.h).
 */
#include "diag.h"

#include "buf.h"
#include "marc-int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
marc_diag_set(struct marc_diag *d, enum marc_severity sev, const char *code, const char *fmt,
              ...)
{
    memset(d, 0, sizeof *d);
    d->severity = sev;
    d->offset = -1;
    d->position = -1;
    d->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    va_end(ap);
}

const char *
marc_show_byte(unsigned char c, char out[8])
{
    if (c > 0x20 && c < 0x7F)
        snprintf(out, 8, "'%c'", c);
    else
        snprintf(out, 8, "\\x%02X", c);
    return out;
}

const char *
marc_severity_name(enum marc_severity sev)
{
    switch (sev) {
    case MARC_SEV_ERROR:
        return "error";
    case MARC_SEV_WARNING:
        return "warning";
    default:
        return "note";
    }
}

char *
marc_diag_format(const struct marc_diag *d, const char *source)
{
    struct marc_buf b = MARC_BUF_INIT;
    if (source && *source)
        marc_buf_printf(&b, "%s: ", source);
    if (d->record > 0) {
        marc_buf_printf(&b, "record %ld", d->record);
        if (d->line > 0)
            marc_buf_printf(&b, " (line %ld)", d->line);
        else if (d->offset >= 0)
            marc_buf_printf(&b, " (byte %lld)", d->offset);
        marc_buf_puts(&b, ": ");
    } else if (d->line > 0) {
        marc_buf_printf(&b, "line %ld: ", d->line);
    } else if (d->offset >= 0) {
        marc_buf_printf(&b, "byte %lld: ", d->offset);
    }
    if (d->tag[0]) {
        marc_buf_puts(&b, d->tag);
        if (d->occurrence > 0 && strcmp(d->tag, "LDR") != 0)
            marc_buf_printf(&b, "[%d]", d->occurrence);
        if (d->position >= 0 && (strcmp(d->tag, "LDR") == 0 || (d->tag[0] == '0' && d->tag[1] == '0')))
            marc_buf_printf(&b, "/%02d", d->position);
        if (d->subfield)
            marc_buf_printf(&b, " $%c", d->subfield);
        marc_buf_puts(&b, ": ");
    }
    marc_buf_printf(&b, "%s: %s", marc_severity_name(d->severity), d->message);
    return marc_buf_steal(&b);
}
