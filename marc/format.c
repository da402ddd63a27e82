/*
 * format.c - format names and detection (see format.h).
 */
#include "format.h"

#include <string.h>
#include <strings.h>

const char *
marc_format_name(enum marc_format f)
{
    switch (f) {
    case MARC_FMT_ISO2709:
        return "iso2709";
    case MARC_FMT_MARCXML:
        return "marcxml";
    case MARC_FMT_MRK:
        return "mrk";
    case MARC_FMT_JSON:
        return "json";
    default:
        return "unknown";
    }
}

enum marc_format
marc_format_from_name(const char *name)
{
    static const struct {
        const char *name;
        enum marc_format f;
    } names[] = {
        {"iso2709", MARC_FMT_ISO2709}, {"marc", MARC_FMT_ISO2709}, {"mrc", MARC_FMT_ISO2709},
        {"usmarc", MARC_FMT_ISO2709},  {"marc21", MARC_FMT_ISO2709}, {"marcxml", MARC_FMT_MARCXML},
        {"xml", MARC_FMT_MARCXML},     {"mrk", MARC_FMT_MRK},       {"mrk8", MARC_FMT_MRK},
        {"marcedit", MARC_FMT_MRK},    {"json", MARC_FMT_JSON},     {"marc-in-json", MARC_FMT_JSON},
    };
    if (!name)
        return MARC_FMT_UNKNOWN;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0)
            return names[i].f;
    return MARC_FMT_UNKNOWN;
}

enum marc_format
marc_format_from_path(const char *path)
{
    if (!path)
        return MARC_FMT_UNKNOWN;
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return MARC_FMT_UNKNOWN;
    dot++;
    static const struct {
        const char *ext;
        enum marc_format f;
    } exts[] = {
        {"mrc", MARC_FMT_ISO2709},  {"marc", MARC_FMT_ISO2709},  {"dat", MARC_FMT_ISO2709},
        {"iso", MARC_FMT_ISO2709},  {"usmarc", MARC_FMT_ISO2709}, {"xml", MARC_FMT_MARCXML},
        {"marcxml", MARC_FMT_MARCXML}, {"mrk", MARC_FMT_MRK},    {"mrk8", MARC_FMT_MRK},
        {"json", MARC_FMT_JSON},    {"jsonl", MARC_FMT_JSON},   {"ndjson", MARC_FMT_JSON},
    };
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot, exts[i].ext) == 0)
            return exts[i].f;
    return MARC_FMT_UNKNOWN;
}

enum marc_format
marc_format_detect(const char *buf, size_t len)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
        (unsigned char)buf[2] == 0xBF)
        i = 3;
    /* Junk some ISO 2709 files start with (NUL, Ctrl-Z) is skipped too. */
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n' ||
                       buf[i] == '\0' || buf[i] == '\x1a'))
        i++;
    if (i >= len)
        return MARC_FMT_UNKNOWN;
    switch (buf[i]) {
    case '<':
        return MARC_FMT_MARCXML;
    case '{':
    case '[':
        return MARC_FMT_JSON;
    case '=':
    case '#':
        return MARC_FMT_MRK;
    default:
        break;
    }
    /* ISO 2709 starts with five digits of record length. */
    size_t d = 0;
    while (d < 5 && i + d < len && buf[i + d] >= '0' && buf[i + d] <= '9')
        d++;
    if (d == 5 || (d > 0 && i + d == len))
        return MARC_FMT_ISO2709;
    return MARC_FMT_UNKNOWN;
}
