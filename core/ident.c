/*
 * ident.c - identifier normalisation and index data (see ident.h).
 */
#include "ident.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *
skip_space(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    return s;
}

bool
core_ident_oclc(const char *s, size_t len, bool prefixed, char *out)
{
    const char *p = s, *end = s + len;
    p = skip_space(p, end);
    if ((size_t)(end - p) >= 7 && strncasecmp(p, "(OCoLC)", 7) == 0)
        p += 7;
    else if ((size_t)(end - p) >= 6 && strncasecmp(p, "(OCLC)", 6) == 0)
        p += 6;
    else if (prefixed)
        return false;
    p = skip_space(p, end);
    if ((size_t)(end - p) >= 3 && (strncasecmp(p, "ocm", 3) == 0 || strncasecmp(p, "ocn", 3) == 0))
        p += 3;
    else if ((size_t)(end - p) >= 2 && strncasecmp(p, "on", 2) == 0)
        p += 2;
    while (p < end && *p == '0')
        p++;
    size_t n = 0;
    while (p < end && *p >= '0' && *p <= '9' && n < CORE_IDENT_MAX - 1)
        out[n++] = *p++;
    out[n] = '\0';
    return n > 0;
}

/* Digits and X of an ISBN/ISSN, skipping hyphens and blanks, up to a qualifier. */
static size_t
number_chars(const char *s, size_t len, char *out, size_t max)
{
    const char *p = skip_space(s, s + len), *end = s + len;
    size_t n = 0;
    for (; p < end && n < max; p++) {
        if (*p >= '0' && *p <= '9')
            out[n++] = *p;
        else if (*p == 'X' || *p == 'x')
            out[n++] = 'X';
        else if (*p != '-' && *p != ' ')
            break;
    }
    out[n] = '\0';
    return n;
}

bool
core_ident_isbn(const char *s, size_t len, char *out)
{
    char d[16];
    size_t n = number_chars(s, len, d, 14);
    if (n == 13 && (memcmp(d, "978", 3) == 0 || memcmp(d, "979", 3) == 0) && !strchr(d, 'X')) {
        memcpy(out, d, 14);
        return true;
    }
    const char *x = strchr(d, 'X');
    if (n != 10 || (x && x != d + 9))
        return false;
    /* ISBN-10 -> ISBN-13: prefix 978, drop the old check digit, new one. */
    memcpy(out, "978", 3);
    memcpy(out + 3, d, 9);
    int sum = 0;
    for (int k = 0; k < 12; k++)
        sum += (out[k] - '0') * (k % 2 ? 3 : 1);
    out[12] = (char)('0' + (10 - sum % 10) % 10);
    out[13] = '\0';
    return true;
}

bool
core_ident_issn(const char *s, size_t len, char *out)
{
    char d[16];
    size_t n = number_chars(s, len, d, 9);
    const char *x = strchr(d, 'X');
    if (n != 8 || (x && x != d + 7))
        return false;
    memcpy(out, d, 9);
    return true;
}

bool
core_ident_lccn(const char *s, size_t len, char *out)
{
    char buf[CORE_IDENT_MAX];
    size_t n = 0;
    for (size_t i = 0; i < len && n < sizeof buf - 1; i++) {
        if (s[i] == '/')
            break; /* "//r82" revision suffix */
        if (s[i] != ' ')
            buf[n++] = (char)tolower((unsigned char)s[i]);
    }
    buf[n] = '\0';
    char *hy = strchr(buf, '-');
    if (hy) { /* "2001-1114" -> "2001001114" */
        size_t after = strlen(hy + 1);
        if (after > 6)
            return false;
        char tail[8];
        snprintf(tail, sizeof tail, "%06ld", strtol(hy + 1, NULL, 10));
        snprintf(hy, sizeof buf - (size_t)(hy - buf), "%s", tail);
    }
    if (!buf[0] || !strpbrk(buf, "0123456789"))
        return false;
    snprintf(out, CORE_IDENT_MAX, "%s", buf);
    return true;
}

/* ---- extraction ---- */

static void
add_id(struct core_bib_keys *k, char kind, const char *value)
{
    for (size_t i = 0; i < k->nids; i++)
        if (k->ids[i].kind == kind && strcmp(k->ids[i].value, value) == 0)
            return; /* the same number twice in a record is one key */
    if (k->nids == k->capids) {
        k->capids = k->capids ? k->capids * 2 : 8;
        k->ids = xrealloc(k->ids, k->capids * sizeof *k->ids);
    }
    k->ids[k->nids].kind = kind;
    snprintf(k->ids[k->nids].value, CORE_IDENT_MAX, "%s", value);
    k->nids++;
}

/* Subfields that carry codes and links rather than words. */
static bool
indexed_code(char code)
{
    return !strchr("0123568", code) && code != '9';
}

static void
append_text(struct marc_buf *b, const char *v, size_t len)
{
    if (!len)
        return;
    if (b->len)
        marc_buf_putc(b, ' ');
    marc_buf_append(b, v, len);
}

/* All indexed subfields of a field into b. */
static void
field_text(const struct marc_field *f, struct marc_buf *b)
{
    size_t cur = 0;
    struct marc_subfield sf;
    while (marc_field_next_subfield(f, &cur, &sf))
        if (indexed_code(sf.code))
            append_text(b, sf.value, sf.len);
}

/* 245: $c and $h (responsibility, medium) go to "other", the rest to title. */
static void
title_text(const struct marc_field *f, struct core_bib_keys *k)
{
    size_t cur = 0;
    struct marc_subfield sf;
    while (marc_field_next_subfield(f, &cur, &sf))
        if (indexed_code(sf.code))
            append_text(sf.code == 'c' || sf.code == 'h' ? &k->fts_other : &k->fts_title,
                        sf.value, sf.len);
}

/* Which index column a field's words go to. */
static struct marc_buf *
column_for(struct core_bib_keys *k, const char *tag, const char *linked)
{
    const char *t = strcmp(tag, "880") == 0 && linked ? linked : tag;
    int n = atoi(t);
    if (t[0] < '0' || t[0] > '9')
        return &k->fts_other;
    if (n == 245 || n == 130 || n == 210 || n == 222 || n == 240 || n == 242 || n == 243 ||
        n == 246 || n == 247 || n == 730 || n == 740 || n == 490 || n == 830)
        return &k->fts_title;
    if (n == 100 || n == 110 || n == 111 || n == 700 || n == 710 || n == 711 || n == 720 ||
        n == 800 || n == 810 || n == 811)
        return &k->fts_author;
    if (n >= 600 && n <= 699)
        return &k->fts_subject;
    return &k->fts_other;
}

/* Trailing ISBD punctuation and blanks off a display string. */
static void
trim_display(struct marc_buf *b)
{
    while (b->len && strchr(" /:;,=.", b->data[b->len - 1]))
        b->len--;
    if (b->data)
        b->data[b->len] = '\0';
}

static void
brief_from(const struct marc_field *f, const char *codes, struct marc_buf *out)
{
    size_t cur = 0;
    struct marc_subfield sf;
    while (marc_field_next_subfield(f, &cur, &sf))
        if (strchr(codes, sf.code))
            append_text(out, sf.value, sf.len);
    trim_display(out);
}

static void
extract_date(const struct marc_record *r, struct core_bib_keys *k)
{
    size_t len;
    const char *f008 = marc_record_value(r, "008", 0, &len);
    if (f008 && len >= 11) {
        bool ok = true;
        for (int i = 7; i < 11; i++)
            ok = ok && (isdigit((unsigned char)f008[i]) || f008[i] == 'u');
        if (ok && isdigit((unsigned char)f008[7])) {
            memcpy(k->date, f008 + 7, 4);
            k->date[4] = '\0';
            return;
        }
    }
    static const char *tags[] = {"264", "260"};
    for (int t = 0; t < 2; t++) {
        const char *c = marc_record_value(r, tags[t], 'c', &len);
        for (size_t i = 0; c && i + 4 <= len; i++) {
            if (isdigit((unsigned char)c[i]) && isdigit((unsigned char)c[i + 1]) &&
                isdigit((unsigned char)c[i + 2]) && isdigit((unsigned char)c[i + 3])) {
                memcpy(k->date, c + i, 4);
                k->date[4] = '\0';
                return;
            }
        }
    }
}

static void
extract_ids(const struct marc_field *f, const char *tag, struct core_bib_keys *k)
{
    char v[CORE_IDENT_MAX];
    size_t cur = 0;
    struct marc_subfield sf;
    while (marc_field_next_subfield(f, &cur, &sf)) {
        if (!strcmp(tag, "035") && sf.code == 'a' && core_ident_oclc(sf.value, sf.len, true, v))
            add_id(k, CORE_ID_OCLC, v);
        else if (!strcmp(tag, "035") && sf.code == 'z' && core_ident_oclc(sf.value, sf.len, true, v))
            add_id(k, CORE_ID_OCLC_OLD, v);
        else if (!strcmp(tag, "019") && sf.code == 'a' && core_ident_oclc(sf.value, sf.len, false, v))
            add_id(k, CORE_ID_OCLC_OLD, v);
        else if (!strcmp(tag, "020") && sf.code == 'a' && core_ident_isbn(sf.value, sf.len, v))
            add_id(k, CORE_ID_ISBN, v);
        else if (!strcmp(tag, "010") && sf.code == 'a' && core_ident_lccn(sf.value, sf.len, v))
            add_id(k, CORE_ID_ISBN, v);
        else if (!strcmp(tag, "022") && sf.code == 'a' && core_ident_issn(sf.value, sf.len, v))
            add_id(k, CORE_ID_ISSN, v);
    }
}

void
core_bib_keys_extract(const struct marc_record *r, struct core_bib_keys *k)
{
    k->nids = 0;
    k->date[0] = '\0';
    marc_buf_reset(&k->title);
    marc_buf_reset(&k->author);
    marc_buf_reset(&k->fts_title);
    marc_buf_reset(&k->fts_author);
    marc_buf_reset(&k->fts_subject);
    marc_buf_reset(&k->fts_other);
    const char *leader = marc_record_leader(r);
    k->serial = leader[7] == 's' || leader[7] == 'b';
    bool have_author = false;
    size_t n = marc_record_field_count(r);
    for (size_t i = 0; i < n; i++) {
        const struct marc_field *f = marc_record_field(r, i);
        const char *tag = marc_field_tag(f);
        if (marc_field_is_control(f)) {
            continue;
        }
        if (tag[0] == '0')
            extract_ids(f, tag, k);
        char linked[4] = "";
        if (!strcmp(tag, "880")) {
            size_t l6;
            const char *v6 = marc_field_value(f, '6', &l6);
            if (v6 && l6 >= 3) {
                memcpy(linked, v6, 3);
                linked[3] = '\0';
            }
        }
        struct marc_buf *col = column_for(k, tag, linked[0] ? linked : NULL);
        if (col == &k->fts_title && !strcmp(linked[0] ? linked : tag, "245"))
            title_text(f, k); /* the statement of responsibility is not title */
        else
            field_text(f, col);
        if (!strcmp(tag, "245") && !k->title.len)
            brief_from(f, "abnp", &k->title);
        else if (!have_author && (!strcmp(tag, "100") || !strcmp(tag, "110") || !strcmp(tag, "111"))) {
            marc_buf_reset(&k->author);
            brief_from(f, "abcdq", &k->author);
            have_author = true;
        } else if (!have_author && !k->author.len &&
                   (!strcmp(tag, "700") || !strcmp(tag, "710") || !strcmp(tag, "711"))) {
            brief_from(f, "ab", &k->author);
        }
    }
    extract_date(r, k);
}

void
core_bib_keys_free(struct core_bib_keys *k)
{
    if (!k)
        return;
    free(k->ids);
    marc_buf_free(&k->title);
    marc_buf_free(&k->author);
    marc_buf_free(&k->fts_title);
    marc_buf_free(&k->fts_author);
    marc_buf_free(&k->fts_subject);
    marc_buf_free(&k->fts_other);
    memset(k, 0, sizeof *k);
}

static void
copy_value(const struct marc_field *f, const char *codes, char *out, size_t size)
{
    struct marc_buf b = MARC_BUF_INIT;
    brief_from(f, codes, &b);
    snprintf(out, size, "%s", b.data ? b.data : "");
    marc_buf_free(&b);
}

void
core_holdings_keys_extract(const struct marc_record *r, struct core_holdings_keys *k)
{
    memset(k, 0, sizeof *k);
    long i = marc_record_find(r, "852", 0);
    if (i < 0)
        return;
    const struct marc_field *f = marc_record_field(r, (size_t)i);
    copy_value(f, "b", k->library, sizeof k->library);
    copy_value(f, "c", k->location, sizeof k->location);
    copy_value(f, "hi", k->call_number, sizeof k->call_number);
}
