/*
 * mms.c - building and reading MMS IDs (see mms.h).
 */
#include "mms.h"

#include <stdio.h>
#include <string.h>

bool
core_zone_code_valid(const char *code)
{
    if (!code || strlen(code) != 4)
        return false;
    for (int i = 0; i < 4; i++)
        if (code[i] < '0' || code[i] > '9')
            return false;
    return true;
}

void
core_mms_format(enum core_mms_type type, long long seq, const char *zone, char *out)
{
    snprintf(out, CORE_MMS_MAX, "%02d%09lld%.4s", (int)type, seq, zone);
}

enum core_mms_type
core_mms_parse(const char *s, long long *seq, char *zone)
{
    if (!s)
        return CORE_MMS_NONE;
    size_t n = strlen(s);
    if (n < 2 + 9 + 4 || n > 2 + 18 + 4)
        return CORE_MMS_NONE;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return CORE_MMS_NONE;
    int prefix = (s[0] - '0') * 10 + (s[1] - '0');
    if (prefix != CORE_MMS_BIB && prefix != CORE_MMS_HOLDINGS && prefix != CORE_MMS_ITEM)
        return CORE_MMS_NONE;
    if (seq) {
        long long v = 0;
        for (size_t i = 2; i < n - 4; i++)
            v = v * 10 + (s[i] - '0');
        *seq = v;
    }
    if (zone) {
        memcpy(zone, s + n - 4, 4);
        zone[4] = '\0';
    }
    return (enum core_mms_type)prefix;
}

const char *
core_mms_type_name(enum core_mms_type type)
{
    switch (type) {
    case CORE_MMS_BIB:
        return "bibliographic";
    case CORE_MMS_HOLDINGS:
        return "holdings";
    case CORE_MMS_ITEM:
        return "item";
    default:
        return "unknown";
    }
}
