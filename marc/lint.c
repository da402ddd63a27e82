/*
 * lint.c - MARC 21 validation of a record in the model (see lint.h).
 *
 * One pass over the fields: each is checked for what any MARC record must
 * respect (tag, indicator and subfield characters; no delimiter in a control
 * field), then, in bibliographic and holdings records, against the tag
 * tables of lint-tables.c, then for the ISBD punctuation a cataloger
 * expects.  Severities follow SPEC §3.1: what would make the record unusable
 * or break MARC 21 structure is an error and blocks a save; what a cataloger
 * should look at (unknown tag, undefined indicator, punctuation) is a
 * warning.  Local fields (any undefined tag containing a 9, alphanumeric
 * tags) are not judged.
 *
 * This file knows the checks and the wording of the messages; the tables
 * know MARC 21.  It never changes the record.
 */
#include "lint.h"

#include "lint-tables.h"
#include "marc-int.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The state of one lint run. */
struct lint {
    const struct marc_record *r;
    struct marc_decode_ctx *ctx;
    enum marc_record_kind kind;
    int format; /* enum marc_lint_format, or -1 when no tables apply */
    bool isbd;  /* leader/18 says ISBD punctuation is present */
    int errors;
};

static void report(struct lint *l, enum marc_severity sev, const char *code,
                   const struct marc_where *w, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Lint finds problems in the model, not in the input: w locates them by
 * field, subfield and position only (its `at` and `line` are not used), and
 * the record by its offset or first line. */
static void
report(struct lint *l, enum marc_severity sev, const char *code, const struct marc_where *w,
       const char *fmt, ...)
{
    if (sev == MARC_SEV_ERROR)
        l->errors++;
    if (!l->ctx)
        return;
    struct marc_where at = *w;
    at.at = MARC_AT_RECORD;
    at.line = l->ctx->line;
    va_list ap;
    va_start(ap, fmt);
    marc_codec_vreport_at(l->ctx, sev, MARC_ERR_INVALID, code, &at, fmt, ap);
    va_end(ap);
}

/* A character for a message: blank, itself when printable ASCII, else \xNN. */
static const char *
show_char(char c, char out[8])
{
    return c == ' ' ? "blank" : marc_show_byte((unsigned char)c, out);
}

enum marc_record_kind
marc_record_kind(const struct marc_record *r)
{
    char t = r->leader[6];
    if (t && strchr("acdefgijkmoprt", t))
        return MARC_KIND_BIBLIOGRAPHIC;
    if (t && strchr("uvxy", t))
        return MARC_KIND_HOLDINGS;
    if (t == 'z')
        return MARC_KIND_AUTHORITY;
    return MARC_KIND_OTHER;
}

/* ---- leader ---- */

/* Append item to the comma-separated list in out. */
static void
list_add(char *out, size_t size, const char *item)
{
    size_t n = strlen(out);
    snprintf(out + n, size - n, "%s%s", n ? ", " : "", item);
}

/* The values of a leader rule for a message: "#a" -> "blank, a". */
static void
list_values(const char *values, char *out, size_t size)
{
    out[0] = '\0';
    for (const char *v = values; *v; v++) {
        char item[2] = {*v, '\0'};
        list_add(out, size, *v == '#' ? "blank" : item);
    }
}

static void
lint_leader_position(struct lint *l, int pos)
{
    char c = l->r->leader[pos];
    bool obsolete;
    if (marc_lint_tables_leader_ok((enum marc_lint_format)l->format, pos, c, &obsolete))
        return;
    struct marc_where w = {.tag = "LDR", .position = pos};
    char shown[8], values[96];
    list_values(marc_lint_tables_leader_values((enum marc_lint_format)l->format, pos), values,
                sizeof values);
    const char *what = l->format == MARC_LINT_BIB ? "bibliographic" : "holdings";
    if (obsolete && l->format == MARC_LINT_BIB && pos == 17 && c >= 'A' && c <= 'Z')
        report(l, MARC_SEV_WARNING, "leader-obsolete", &w,
               "leader/17 is %s, an OCLC encoding level that MARC 21 does not define; "
               "MARC 21 values are %s",
               show_char(c, shown), values);
    else if (obsolete)
        report(l, MARC_SEV_WARNING, "leader-obsolete", &w,
               "leader/%02d is %s, a value MARC 21 no longer defines for %s records; "
               "current values are %s",
               pos, show_char(c, shown), what, values);
    else /* type (06) and coding (09) decide how a record is read; these only describe it */
        report(l, MARC_SEV_WARNING, "leader-value", &w,
               "leader/%02d is %s; MARC 21 defines %s for %s records", pos, show_char(c, shown),
               values, what);
}

static void
lint_leader(struct lint *l)
{
    const char *ld = l->r->leader;
    struct marc_where w = {.tag = "LDR", .position = -1};
    char shown[8];
    bool printable = true;
    for (int i = 0; i < MARC_LEADER_LEN; i++) {
        unsigned char c = (unsigned char)ld[i];
        if (c < 0x20 || c > 0x7E) {
            w.position = i;
            report(l, MARC_SEV_ERROR, "leader-char", &w,
                   "leader/%02d is %s; the leader holds only printable ASCII characters", i,
                   show_char((char)c, shown));
            printable = false;
        }
    }
    if (!printable)
        return;
    if (!strchr("acdefgijkmoprtuvxyzwq", ld[6])) {
        w.position = 6;
        if (strchr("bhn", ld[6]))
            report(l, MARC_SEV_WARNING, "leader-obsolete", &w,
                   "leader/06 is %s, a type of record MARC 21 made obsolete",
                   show_char(ld[6], shown));
        else
            report(l, MARC_SEV_ERROR, "leader-value", &w,
                   "leader/06 is %s, which is not a MARC 21 type of record",
                   show_char(ld[6], shown));
    }
    if (ld[9] != ' ' && ld[9] != 'a') {
        w.position = 9;
        report(l, MARC_SEV_ERROR, "leader-value", &w,
               "leader/09 is %s; MARC 21 defines blank (MARC-8) and 'a' (UTF-8)",
               show_char(ld[9], shown));
    }
    if (l->format < 0)
        return;
    static const int positions[] = {5, 7, 8, 17, 18, 19};
    for (size_t i = 0; i < sizeof positions / sizeof *positions; i++)
        lint_leader_position(l, positions[i]);
}

/* ---- tags ---- */

/* Fields MARC 21 leaves to local definition: a 9 anywhere in the tag (9XX,
 * 09X, 59X, 69X, XX9 ...) unless defined, and alphanumeric tags; the
 * tables name a few more ([LOCAL] tags). */
static bool
tag_is_local(const char *tag)
{
    for (int i = 0; i < 3; i++)
        if (tag[i] == '9' || tag[i] < '0' || tag[i] > '9')
            return true;
    return false;
}

/* The table entry for tag, or NULL when no tables apply or the tag is local. */
static const struct marc_lint_tag *
lookup(const struct lint *l, const char *tag)
{
    if (l->format < 0)
        return NULL;
    return marc_lint_tables_tag((enum marc_lint_format)l->format, tag);
}

/* The indicator values of a mask, for a message: "blank, 0, 1", "0-9". */
static void
list_indicators(uint64_t mask, char *out, size_t size)
{
    static const char chars[] = " 0123456789abcdefghijklmnopqrstuvwxyz";
    out[0] = '\0';
    for (int i = 0; chars[i]; i++) {
        if (!(mask & marc_lint_ind_bit(chars[i])))
            continue;
        int last = i;
        if (chars[i] >= '0' && chars[i] <= '9')
            while (chars[last + 1] >= '0' && chars[last + 1] <= '9' &&
                   (mask & marc_lint_ind_bit(chars[last + 1])))
                last++;
        char item[4] = {chars[i], '\0', '\0', '\0'};
        if (last - i >= 2) {
            item[1] = '-';
            item[2] = chars[last];
            i = last;
        }
        list_add(out, size, item[0] == ' ' ? "blank" : item);
    }
}

static void
lint_indicators(struct lint *l, const struct marc_field *f, const struct marc_lint_tag *def,
                const char *deftag, struct marc_where *w)
{
    char shown[8], values[160];
    for (int i = 0; i < 2; i++) {
        char c = (size_t)i < f->len ? f->data[i] : '\0';
        uint64_t bit = marc_lint_ind_bit(c);
        w->position = i;
        if (!bit) {
            report(l, MARC_SEV_ERROR, "ind-char", w,
                   "indicator %d of %s is %s; an indicator is a lowercase letter, a digit or blank",
                   i + 1, f->tag, (size_t)i < f->len ? show_char(c, shown) : "missing");
            continue;
        }
        if (!def || !def->defined || def->control || (def->ind[i] & bit))
            continue;
        if (def->ind[i] == MARC_LINT_IND_BLANK) {
            report(l, MARC_SEV_WARNING, "ind-undefined", w,
                   "indicator %d of %s is %s; MARC 21 leaves it undefined (blank)", i + 1, deftag,
                   show_char(c, shown));
        } else {
            list_indicators(def->ind[i], values, sizeof values);
            report(l, MARC_SEV_WARNING, "ind-invalid", w,
                   "indicator %d of %s is %s; MARC 21 defines %s", i + 1, deftag,
                   show_char(c, shown), values);
        }
    }
    w->position = -1;
}

/* ---- subfields ---- */

/* Iterate the subfields of a data field without trusting its shape:
 * anything before the first delimiter is skipped (and reported once). */
struct sf_iter {
    const char *p, *end;
};

static bool
sf_next(struct sf_iter *it, struct marc_subfield *sf, size_t *at, const char *base)
{
    while (it->p < it->end && *it->p != MARC_SUBFIELD_DELIM)
        it->p++;
    if (it->p + 1 >= it->end)
        return false;
    *at = (size_t)(it->p - base);
    sf->code = it->p[1];
    sf->value = it->p + 2;
    const char *next = memchr(sf->value, MARC_SUBFIELD_DELIM, (size_t)(it->end - sf->value));
    if (!next)
        next = it->end;
    sf->len = (size_t)(next - sf->value);
    it->p = next;
    return true;
}

static void
lint_subfield(struct lint *l, const struct marc_subfield *sf, const struct marc_lint_tag *def,
              const char *deftag, uint64_t *seen, uint64_t *reported, struct marc_where *w)
{
    char shown[8];
    uint64_t bit = marc_lint_sf_bit(sf->code);
    w->subfield = bit ? sf->code : 0;
    if (!bit) {
        report(l, MARC_SEV_ERROR, "sf-code", w,
               "subfield code %s in %s is not a lowercase letter or a digit",
               show_char(sf->code, shown), w->tag);
        return;
    }
    if (sf->len == 0)
        report(l, MARC_SEV_WARNING, "sf-empty", w, "subfield $%c of %s is empty", sf->code, w->tag);
    if (!def || !def->defined || def->any_subfield)
        return;
    if (!(def->sf_defined & bit)) {
        if (!(*reported & bit))
            report(l, MARC_SEV_WARNING, "sf-unknown", w,
                   "subfield $%c is not defined for %s in MARC 21", sf->code, deftag);
        *reported |= bit;
    } else if ((*seen & bit) && !(def->sf_repeatable & bit) && !(*reported & bit)) {
        report(l, MARC_SEV_WARNING, "sf-nr-repeated", w,
               "subfield $%c of %s is not repeatable but occurs more than once", sf->code, deftag);
        *reported |= bit;
    }
    *seen |= bit;
}

static void
lint_subfields(struct lint *l, const struct marc_field *f, const struct marc_lint_tag *def,
               const char *deftag, struct marc_where *w)
{
    if (f->len > 2 && f->data[2] != MARC_SUBFIELD_DELIM) {
        w->position = 2;
        report(l, MARC_SEV_WARNING, "sf-no-code", w,
               "%s has text before its first subfield code; that text belongs to no subfield",
               f->tag);
        w->position = -1;
    }
    struct sf_iter it = {f->data + (f->len < 2 ? f->len : 2), f->data + f->len};
    struct marc_subfield sf;
    size_t at;
    uint64_t seen = 0, reported = 0;
    int n = 0;
    while (sf_next(&it, &sf, &at, f->data)) {
        w->position = (int)at;
        lint_subfield(l, &sf, def, deftag, &seen, &reported, w);
        n++;
    }
    w->subfield = 0;
    w->position = -1;
    if (n == 0)
        report(l, MARC_SEV_WARNING, "field-empty", w, "%s has no subfields", f->tag);
}

/* ---- ISBD punctuation ---- */

/* Value of s[0..len) without trailing blanks. */
static size_t
rtrim(const char *s, size_t len)
{
    while (len > 0 && s[len - 1] == ' ')
        len--;
    return len;
}

/* UTF-8 closing quotation marks and brackets: ” ’ » 」 』, and the ideographic
 * full stop. */
static const char *const closers[] = {"\xE2\x80\x9D", "\xE2\x80\x99", "\xC2\xBB",
                                      "\xE3\x80\x8D", "\xE3\x80\x8F", "\xE3\x80\x82"};

/* Length of s[0..len) without a trailing closing quotation mark, or len. */
static size_t
strip_closer(const char *s, size_t len)
{
    if (len > 0 && (s[len - 1] == '"' || s[len - 1] == '\''))
        return len - 1;
    for (size_t i = 0; i < sizeof closers / sizeof *closers; i++) {
        size_t k = strlen(closers[i]);
        if (len >= k && memcmp(s + len - k, closers[i], k) == 0)
            return len - k;
    }
    return len;
}

/* True when the trimmed value ends with one of the ASCII characters in set;
 * with `closing`, a closing quotation mark or bracket also ends it well,
 * else such a mark is looked through ("...," stays a comma). */
static bool
ends_with(const char *s, size_t len, const char *set, bool closing)
{
    len = rtrim(s, len);
    if (len == 0)
        return false;
    if (strchr(set, s[len - 1]))
        return true;
    size_t inner = strip_closer(s, len);
    if (inner == len)
        return false;
    if (closing)
        return true;
    inner = rtrim(s, inner);
    return inner > 0 && strchr(set, s[inner - 1]) != NULL;
}

/* The final characters of a value for a message (at most 12 bytes, not
 * cutting a UTF-8 sequence). */
static void
tail_of(const struct marc_subfield *sf, char *out, size_t size)
{
    size_t len = rtrim(sf->value, sf->len);
    size_t from = len > 12 ? len - 12 : 0;
    while (from > 0 && from < len && ((unsigned char)sf->value[from] & 0xC0) == 0x80)
        from++;
    snprintf(out, size, "%s%.*s", from ? "..." : "", (int)(len - from), sf->value + from);
}

/* A rule: subfield `code` must follow a subfield ending with one of `ends`. */
struct punct_rule {
    char code;
    const char *ends;
    const char *shown; /* how the message names the expected punctuation */
};

static void
check_preceding(struct lint *l, const struct marc_field *f, const struct punct_rule *rules,
                const char *code, struct marc_where *w)
{
    struct sf_iter it = {f->data + 2, f->data + f->len};
    struct marc_subfield sf, prev = {0, NULL, 0};
    size_t at;
    char tail[24];
    while (sf_next(&it, &sf, &at, f->data)) {
        for (const struct punct_rule *r = rules; r->code && prev.value; r++) {
            if (sf.code != r->code || (prev.code >= '0' && prev.code <= '9'))
                continue;
            if (rtrim(prev.value, prev.len) == 0)
                continue; /* an empty subfield is reported as such */
            if (ends_with(prev.value, prev.len, r->ends, false))
                continue;
            tail_of(&prev, tail, sizeof tail);
            w->subfield = sf.code;
            w->position = (int)at;
            report(l, MARC_SEV_WARNING, code, w,
                   "in %s, $%c should follow %s (ISBD); the text before it ends \"%s\"", f->tag,
                   sf.code, r->shown, tail);
        }
        prev = sf;
    }
    w->subfield = 0;
    w->position = -1;
}

/* The last subfield that holds text (not a $0-$9 control subfield). */
static bool
last_text_subfield(const struct marc_field *f, struct marc_subfield *out, size_t *out_at)
{
    struct sf_iter it = {f->data + 2, f->data + f->len};
    struct marc_subfield sf;
    size_t at;
    bool found = false;
    while (sf_next(&it, &sf, &at, f->data)) {
        if (sf.code >= '0' && sf.code <= '9')
            continue;
        *out = sf;
        *out_at = at;
        found = true;
    }
    return found;
}

static void
check_field_end(struct lint *l, const struct marc_field *f, const char *set, const char *code,
                const char *expected, struct marc_where *w)
{
    struct marc_subfield sf;
    size_t at;
    char tail[24];
    if (!last_text_subfield(f, &sf, &at) || rtrim(sf.value, sf.len) == 0)
        return;
    if (ends_with(sf.value, sf.len, set, true))
        return;
    size_t len = rtrim(sf.value, sf.len);
    if (sf.value[len - 1] == ']' || sf.value[len - 1] == ')')
        return; /* "[map]", "(Firm)": brackets close the field as well */
    tail_of(&sf, tail, sizeof tail);
    w->subfield = sf.code;
    w->position = (int)at;
    report(l, MARC_SEV_WARNING, code, w, "%s should end with %s (ISBD); it ends \"%s\"", f->tag,
           expected, tail);
    w->subfield = 0;
    w->position = -1;
}

static void
lint_punctuation(struct lint *l, const struct marc_field *f, struct marc_where *w)
{
    static const struct punct_rule rules_245[] = {
        {'b', ":;=", "' :', ' ;' or ' ='"}, {'c', "/", "' /'"}, {0, NULL, NULL}};
    static const struct punct_rule rules_300[] = {
        {'b', ":", "' :'"}, {'c', ";", "' ;'"}, {0, NULL, NULL}};
    static const struct punct_rule rules_26x[] = {
        {'b', ":=", "' :'"}, {'c', ",=", "','"}, {0, NULL, NULL}};
    /* Names: dates and relator terms follow a comma (a relator may follow
     * an open date's hyphen); a subordinate body follows a full stop. */
    static const struct punct_rule rules_100[] = {
        {'d', ",:", "','"}, {'e', ",-", "','"}, {0, NULL, NULL}};
    static const struct punct_rule rules_110[] = {
        {'b', ".", "'.'"}, {'e', ",-", "','"}, {0, NULL, NULL}};
    const char *t = f->tag;
    if (f->len < 2)
        return;
    if (strcmp(t, "245") == 0) {
        check_field_end(l, f, ".?!", "punct-245", "a period (or ?, !)", w);
        check_preceding(l, f, rules_245, "punct-245", w);
    } else if (strcmp(t, "300") == 0) {
        check_preceding(l, f, rules_300, "punct-300", w);
    } else if (strcmp(t, "260") == 0 || strcmp(t, "264") == 0) {
        check_preceding(l, f, rules_26x, t[2] == '0' ? "punct-260" : "punct-264", w);
    } else if (strcmp(t, "100") == 0) {
        check_preceding(l, f, rules_100, "punct-1xx", w);
    } else if (strcmp(t, "110") == 0) {
        check_preceding(l, f, rules_110, "punct-1xx", w);
    }
}

/* ---- fields ---- */

/* The tag an 880 stands for: the first three characters of its $6. */
static bool
linked_tag(const struct marc_field *f, char out[4])
{
    struct sf_iter it = {f->data + (f->len < 2 ? f->len : 2), f->data + f->len};
    struct marc_subfield sf;
    size_t at;
    while (sf_next(&it, &sf, &at, f->data)) {
        if (sf.code != '6')
            continue;
        if (sf.len < 3)
            return false;
        memcpy(out, sf.value, 3);
        out[3] = '\0';
        return marc_tag_is_valid(out) && !marc_tag_is_control(out);
    }
    return false;
}

static void
lint_control(struct lint *l, const struct marc_field *f, struct marc_where *w)
{
    for (uint32_t i = 0; i < f->len; i++) {
        unsigned char c = (unsigned char)f->data[i];
        if (c == 0x1F || c == 0x1E || c == 0x1D) {
            w->position = (int)i;
            report(l, MARC_SEV_ERROR, "control-delimiter", w,
                   "control field %s contains a %s at position %u; control fields have no "
                   "subfields",
                   f->tag, c == 0x1F ? "subfield delimiter" : "field or record terminator", i);
            w->position = -1;
            break;
        }
    }
    if (strcmp(f->tag, "008") == 0 && l->format >= 0) {
        uint32_t want = l->format == MARC_LINT_BIB ? 40 : 32;
        if (f->len != want)
            report(l, MARC_SEV_ERROR, "008-length", w,
                   "008 has %u characters; a %s record's 008 has exactly %u", f->len,
                   l->format == MARC_LINT_BIB ? "bibliographic" : "holdings", want);
    }
}

static void
lint_tag(struct lint *l, const struct marc_field *f, const struct marc_lint_tag *def,
         int occurrence, struct marc_where *w)
{
    if (!def || def->local || (tag_is_local(f->tag) && !def->defined))
        return;
    if (!def->defined) {
        if (def->obsolete)
            report(l, MARC_SEV_WARNING, "tag-obsolete", w,
                   "tag %s is obsolete in MARC 21; it should be recoded", f->tag);
        else
            report(l, MARC_SEV_WARNING, "tag-unknown", w, "tag %s is not defined in MARC 21 %s",
                   f->tag, l->format == MARC_LINT_BIB ? "Bibliographic" : "Holdings");
        return;
    }
    if (occurrence >= 2 && !def->repeatable && strcmp(f->tag, "001") != 0)
        report(l, MARC_SEV_WARNING, "nr-repeated", w, "%s is not repeatable; this is occurrence %d",
               f->tag, occurrence);
}

static void
lint_field(struct lint *l, const struct marc_field *f, size_t index, int occurrence)
{
    struct marc_where w = {.tag = f->tag, .occurrence = occurrence, .position = -1};
    if (!marc_tag_is_valid(f->tag)) {
        char shown[16];
        snprintf(shown, sizeof shown, "%.3s", f->tag);
        for (char *p = shown; *p; p++)
            if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7E)
                *p = '?';
        w.tag = NULL;
        report(l, MARC_SEV_ERROR, "tag-invalid", &w,
               "the tag \"%s\" of field %zu is not three letters or digits", shown, index + 1);
        return;
    }
    const struct marc_lint_tag *def = lookup(l, f->tag);
    lint_tag(l, f, def, occurrence, &w);
    if (f->control) {
        lint_control(l, f, &w);
        return;
    }
    if (marc_tag_is_control(f->tag)) {
        report(l, MARC_SEV_ERROR, "control-as-data", &w,
               "%s has indicators and subfields, but 00X fields are control fields in MARC 21 "
               "(is this a record in another MARC format?)",
               f->tag);
        return;
    }
    const char *deftag = f->tag;
    char linked[4];
    if (def && strcmp(f->tag, "880") == 0) {
        if (linked_tag(f, linked)) {
            deftag = linked;
            def = lookup(l, linked);
            if (def && !def->defined)
                def = NULL; /* local or unknown: its own 880 is not judged */
        } else {
            report(l, MARC_SEV_WARNING, "880-link", &w,
                   "880 has no $6 naming the field it is an alternate graphic form of");
            def = NULL;
        }
    }
    lint_indicators(l, f, def, deftag, &w);
    lint_subfields(l, f, def, deftag, &w);
    if (l->isbd && l->format == MARC_LINT_BIB)
        lint_punctuation(l, f, &w);
}

/* ---- record ---- */

/* Occurrence counters for numeric tags; alphanumeric ones are counted by
 * the model (rare, so the quadratic scan does not matter). */
static int
next_occurrence(const struct marc_record *r, size_t i, uint16_t *counts)
{
    const char *t = r->fields[i].tag;
    if (marc_tag_is_numeric(t)) {
        int n = (t[0] - '0') * 100 + (t[1] - '0') * 10 + (t[2] - '0');
        if (counts[n] < UINT16_MAX)
            counts[n]++;
        return counts[n];
    }
    return marc_record_occurrence(r, i);
}

static void
lint_required(struct lint *l, const uint16_t *counts)
{
    struct marc_where w = MARC_WHERE_NONE;
    if (counts[1] > 1) {
        w.tag = "001";
        w.occurrence = 2;
        report(l, MARC_SEV_ERROR, "001-repeated", &w,
               "001 (control number) occurs %u times; a record has exactly one",
               (unsigned)counts[1]);
        w.tag = NULL;
        w.occurrence = 0;
    }
    if (l->kind == MARC_KIND_BIBLIOGRAPHIC && counts[245] == 0)
        report(l, MARC_SEV_ERROR, "245-missing", &w,
               "the record has no 245 (title statement); every bibliographic record needs one");
    if (l->kind == MARC_KIND_HOLDINGS && counts[852] == 0)
        report(l, MARC_SEV_ERROR, "852-missing", &w,
               "the record has no 852 (location); every holdings record needs one");
}

int
marc_lint_record(const struct marc_record *r, struct marc_decode_ctx *ctx)
{
    struct lint l = {r, ctx, marc_record_kind(r), -1, false, 0};
    if (l.kind == MARC_KIND_BIBLIOGRAPHIC)
        l.format = MARC_LINT_BIB;
    else if (l.kind == MARC_KIND_HOLDINGS)
        l.format = MARC_LINT_HOLDINGS;
    l.isbd = r->leader[18] == 'a' || r->leader[18] == 'i';
    lint_leader(&l);
    uint16_t counts[1000] = {0};
    for (size_t i = 0; i < r->nfields; i++)
        lint_field(&l, &r->fields[i], i, next_occurrence(r, i, counts));
    lint_required(&l, counts);
    return l.errors;
}

bool
marc_lint_tag_known(enum marc_record_kind kind, const char *tag)
{
    enum marc_lint_format format;
    if (kind == MARC_KIND_BIBLIOGRAPHIC)
        format = MARC_LINT_BIB;
    else if (kind == MARC_KIND_HOLDINGS)
        format = MARC_LINT_HOLDINGS;
    else
        return false;
    if (!tag || strlen(tag) != 3)
        return false;
    const struct marc_lint_tag *def = marc_lint_tables_tag(format, tag);
    return def && def->defined;
}
