/*
 * marc8.c - MARC-8 <-> UTF-8 through libyaz (see charset-int.h; the string
 * functions of charset.h).  The only file of Colophon that includes yaz's
 * iconv header.  It knows MARC-8 strings, not records: charset.c says where
 * in a record a problem is.
 *
 * yaz_iconv does the table work (every MARC-8 set, combining marks moved
 * after their base) but is silent about bad input: it drops bytes that are
 * undefined in the current set, incomplete EACC characters and unencodable
 * characters, and attaches a trailing combining mark to the character before
 * it when an escape sequence follows the mark.  So every MARC-8 string is
 * first scanned here: escape sequences are checked against the MARC-8
 * designations, control bytes and cut EACC triples are refused, and the
 * number of code points yaz must produce is counted.  When yaz produces fewer,
 * the string is probed one character at a time to name the undefined byte.
 *
 * The scan also keeps yaz's reader within what it handles.  It gathers at
 * most seven combining characters before a base (an eighth is taken for the
 * base, the base is lost and yaz's byte count goes wrong, up to reading past
 * the input); it folds the second half of a double diacritic (ligature EB..EC,
 * double tilde FA..FB) into nothing, and marks gathered before one come out
 * ahead of their base.  So runs of combining characters of every set are
 * counted and capped at seven, a second half must close a first half, and
 * no mark may stand between the two (MARC-8 writers, yaz's own included, put
 * the second half right after the first letter).
 *
 * Every string starts in the default sets (G0 ASCII, G1 ANSEL): charset.c
 * converts each subfield on its own, as yaz-marcdump, pymarc and marc4j do.
 *
 * Towards MARC-8, characters yaz cannot encode are tried in their canonical
 * decomposition (o with double acute -> o + combining double acute), else
 * written as "&#xXXXX;" (upper-case hex, the LC convention; yaz's own lossless
 * mode writes lower case and cuts code points above U+FFFF).  A combining mark
 * that would attach to such a reference, or to nothing, is written as a
 * reference too.  Going the other way a literal "&#x...;" is left alone: it is
 * data, and a catalogue may well contain the text "&#xFFFD;".
 */
#include "charset.h"
#include "charset-int.h"

#include "utf8.h"

#include <yaz/yaz-iconv.h>

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ESC MARC_MARC8_ESC
/* yaz gathers at most seven combining marks before a base character. */
#define MAX_COMBINING 7

/* ---- scanning MARC-8 ---- */

enum m8_problem {
    M8_OK = 0,
    M8_END,
    M8_BAD_ESCAPE,
    M8_INCOMPLETE_ESCAPE,
    M8_BAD_BYTE,
    M8_INCOMPLETE_CHAR,
    M8_UNDEFINED,
    M8_LONE_COMBINING,
    M8_TOO_MANY_COMBINING,
    M8_LONE_SECOND_HALF,
    M8_MARK_BEFORE_SECOND_HALF,
};

/* The designated G0 and G1 sets ([0] and [1]), named by the final byte of
 * their escape sequence. */
struct m8_state {
    char set[2];
    bool wide[2];            /* EACC: three bytes per character */
    unsigned char esc[2][5]; /* the designating escapes, for probes */
    unsigned char esc_len[2];
};

/* One character of a MARC-8 string. */
struct m8_unit {
    size_t at, len;
    int yields;     /* code points yaz makes of it: 0 for ANSEL second halves */
    bool combining; /* a combining character, written before its base */
    int half;       /* ANSEL double diacritics: 1 and 2 the halves of the
                     * ligature (EB, EC), 3 and 4 of the double tilde (FA, FB) */
};

/* Where and what the first problem of a MARC-8 string is. */
struct m8_error {
    enum m8_problem what;
    size_t at;
    size_t len; /* bytes of the offending sequence */
    struct m8_state st;
};

static void
m8_init(struct m8_state *st)
{
    memset(st, 0, sizeof *st);
    st->set[0] = 'B';
    st->set[1] = 'E';
}

static bool
m8_final_ok(unsigned char f, bool wide)
{
    if (wide)
        return f == '1';
    return f && strchr("B2NQ34S", f) != NULL;
}

static void
m8_designate(struct m8_state *st, bool g1, char set, bool wide, const unsigned char *esc,
             size_t len)
{
    st->set[g1] = set;
    st->wide[g1] = wide;
    memcpy(st->esc[g1], esc, len);
    st->esc_len[g1] = (unsigned char)len;
}

/*
 * Parse the escape sequence at s[0] (ESC) and apply it.  Returns its length,
 * 0 when the string ends inside it, or -(n) when it is not a MARC-8
 * designation, s[n - 1] being the first byte that cannot belong to one.
 */
static int
m8_escape(const unsigned char *s, size_t len, struct m8_state *st)
{
    if (len < 2)
        return 0;
    unsigned char c = s[1];
    if (c == 'g' || c == 'b' || c == 'p' || c == 's') { /* technique 1 */
        m8_designate(st, false, c == 's' ? 'B' : (char)c, false, s, 2);
        return 2;
    }
    size_t k = 1;
    bool wide = c == '$';
    if (wide && ++k >= len)
        return 0;
    bool g1 = s[k] == ')' || s[k] == '-';
    if (g1 || s[k] == '(' || s[k] == ',')
        k++;
    else if (!wide)
        return -(int)(k + 1);
    if (k >= len)
        return 0;
    if (!wide && s[k] == '!') { /* ANSEL: ESC ) ! E */
        if (k + 1 >= len)
            return 0;
        if (s[k + 1] != 'E')
            return -(int)(k + 2);
        m8_designate(st, g1, 'E', false, s, k + 2);
        return (int)k + 2;
    }
    if (!m8_final_ok(s[k], wide))
        return -(int)(k + 1);
    m8_designate(st, g1, (char)s[k], wide, s, k + 1);
    return (int)k + 1;
}

/*
 * Is b (G0 or G1 form) a combining character of the single-byte set `set`?
 * From the MARC-8 code tables, as libyaz 5.34 reads them: ANSEL E0-FE,
 * Basic Hebrew 40-4E (points), Basic Arabic 6B-72 (tanwin, short vowels,
 * shadda, sukun), Extended Arabic 7D-7E, Basic Greek 21-27 (accents,
 * breathings, iota subscript).  Cyrillic, the technique 1 sets (Greek
 * symbols, subscripts, superscripts) and EACC have none.  Bytes undefined in
 * a range are refused later, when yaz makes nothing of them.
 */
static bool
m8_combining(char set, unsigned char b)
{
    unsigned char c = b & 0x7F;
    switch (set) {
    case 'E':
        return c >= 0x60 && c <= 0x7E;
    case '2':
        return c >= 0x40 && c <= 0x4E;
    case '3':
        return c >= 0x6B && c <= 0x72;
    case '4':
        return c >= 0x7D && c <= 0x7E;
    case 'S':
        return c >= 0x21 && c <= 0x27;
    default:
        return false;
    }
}

/* Which half of an ANSEL double diacritic b is (see struct m8_unit), or 0. */
static int
m8_half(unsigned char b)
{
    switch (b | 0x80) {
    case 0xEB:
        return 1;
    case 0xEC:
        return 2;
    case 0xFA:
        return 3;
    case 0xFB:
        return 4;
    default:
        return 0;
    }
}

/* A character of one of the designated sets at s[pos]. */
static enum m8_problem
m8_graphic(const unsigned char *s, size_t len, size_t pos, const struct m8_state *st,
           struct m8_unit *u)
{
    unsigned char b = s[pos];
    int high = b >= 0x80;
    char set = st->set[high];
    unsigned char lo = high ? 0xA1 : 0x21, hi = high ? 0xFE : 0x7E;
    *u = (struct m8_unit){pos, 1, 1, false, 0};
    if (st->wide[high]) {
        for (size_t k = 0; k < 3; k++)
            if (pos + k >= len || s[pos + k] < lo || s[pos + k] > hi)
                return M8_INCOMPLETE_CHAR;
        u->len = 3;
        return M8_OK;
    }
    u->combining = m8_combining(set, b);
    if (set == 'E') /* ANSEL, usually as G1, possibly as G0 */
        u->half = m8_half(b);
    if (u->half == 2 || u->half == 4) {
        /* yaz folds a second half into its first and makes nothing of it. */
        u->yields = 0;
        u->combining = false;
    }
    return M8_OK;
}

/*
 * The next character at or after *pos, applying escape sequences on the way.
 * Returns M8_OK with *u, M8_END, or a problem with *bad its offset.
 */
static enum m8_problem
m8_next(const unsigned char *s, size_t len, size_t *pos, struct m8_state *st, struct m8_unit *u,
        size_t *bad)
{
    while (*pos < len && s[*pos] == ESC) {
        int n = m8_escape(s + *pos, len - *pos, st);
        if (n <= 0) {
            *bad = *pos;
            return n < 0 ? M8_BAD_ESCAPE : M8_INCOMPLETE_ESCAPE;
        }
        *pos += (size_t)n;
    }
    if (*pos >= len)
        return M8_END;
    unsigned char b = s[*pos];
    enum m8_problem p = M8_OK;
    if ((b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xFE)) {
        p = m8_graphic(s, len, *pos, st, u);
    } else if (b == 0x20 || b == 0x88 || b == 0x89 || b == 0x8D || b == 0x8E) {
        /* Space, non-sort begin/end, joiner, non-joiner: in every state. */
        *u = (struct m8_unit){*pos, 1, 1, false, 0};
    } else {
        p = M8_BAD_BYTE;
    }
    if (p != M8_OK) {
        *bad = *pos;
        return p;
    }
    *pos += u->len;
    return M8_OK;
}

/* What the scan of a whole string found. */
struct m8_scan {
    size_t chars_end; /* end of the last character: trailing escapes are no-ops */
    size_t expected;  /* code points yaz must produce */
};

/* The run of combining characters being scanned, and the open first halves. */
struct m8_run {
    size_t n, start; /* marks in the run, offset of the first */
    bool open[2];    /* a ligature, a double tilde waiting for its second half */
};

static enum m8_problem
m8_fail(struct m8_error *err, enum m8_problem p, size_t at, size_t end,
        const struct m8_state *st)
{
    *err = (struct m8_error){p, at, end - at, *st};
    return p;
}

/* Check unit u against the run it joins or ends; M8_OK or the problem. */
static enum m8_problem
m8_run_step(struct m8_run *run, const struct m8_unit *u, const struct m8_state *st,
            struct m8_error *err)
{
    if (u->half == 2 || u->half == 4) {
        int k = u->half / 2 - 1;
        if (run->n)
            return m8_fail(err, M8_MARK_BEFORE_SECOND_HALF, run->start, u->at + 1, st);
        if (!run->open[k])
            return m8_fail(err, M8_LONE_SECOND_HALF, u->at, u->at + 1, st);
        run->open[k] = false;
        return M8_OK;
    }
    if (!u->combining) {
        run->n = 0;
        return M8_OK;
    }
    if (u->half)
        run->open[u->half / 2] = true;
    if (run->n++ == 0)
        run->start = u->at;
    if (run->n > MAX_COMBINING)
        return m8_fail(err, M8_TOO_MANY_COMBINING, run->start, u->at + 1, st);
    return M8_OK;
}

/* The problem at a string's first bad byte, *err naming it. */
static enum m8_problem
m8_bad_sequence(const unsigned char *s, size_t len, enum m8_problem p, struct m8_state *st,
                struct m8_error *err)
{
    err->what = p;
    err->st = *st;
    err->len = p == M8_BAD_BYTE ? 1 : len - err->at;
    struct m8_state scratch = *st;
    if (p == M8_BAD_ESCAPE)
        err->len = (size_t)-m8_escape(s + err->at, len - err->at, &scratch);
    if (err->len > 4)
        err->len = 4;
    return p;
}

static enum m8_problem
m8_scan(const unsigned char *s, size_t len, struct m8_scan *sc, struct m8_error *err)
{
    struct m8_state st;
    m8_init(&st);
    struct m8_run run = {0, 0, {false, false}};
    size_t pos = 0;
    sc->chars_end = 0;
    sc->expected = 0;
    for (;;) {
        struct m8_unit u;
        enum m8_problem p = m8_next(s, len, &pos, &st, &u, &err->at);
        if (p == M8_END)
            break;
        if (p != M8_OK)
            return m8_bad_sequence(s, len, p, &st, err);
        if (m8_run_step(&run, &u, &st, err) != M8_OK)
            return err->what;
        sc->expected += (size_t)u.yields;
        sc->chars_end = u.at + u.len;
    }
    /* Marks with nothing after them to combine with. */
    if (run.n)
        return m8_fail(err, M8_LONE_COMBINING, run.start, sc->chars_end, &st);
    return M8_OK;
}

/* ---- driving yaz_iconv ---- */

/* Number of code points in a UTF-8 string. */
static size_t
count_code_points(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/*
 * Convert in[0..len) with cd (whose state the caller set), appending to out.
 * Returns 0, or the yaz error with *consumed the offset where yaz stopped.
 */
static int
yaz_run(yaz_iconv_t cd, const char *in, size_t len, struct marc_buf *out, size_t *consumed)
{
    char *ip = (char *)in;
    size_t il = len;
    size_t room = len * 4 + 32;
    for (;;) {
        char *op = marc_buf_reserve(out, room);
        char *op0 = op;
        size_t ol = room;
        size_t r = yaz_iconv(cd, &ip, &il, &op, &ol);
        out->len += (size_t)(op - op0);
        *consumed = (size_t)(ip - in);
        if (r != (size_t)-1)
            return 0;
        int e = yaz_iconv_error(cd);
        if (e != YAZ_ICONV_E2BIG)
            return e;
        room *= 2;
    }
}

/* Write what an encoder holds back and return it to its initial state. */
static void
yaz_finish(yaz_iconv_t cd, struct marc_buf *out)
{
    size_t room = 64;
    for (;;) {
        char *op = marc_buf_reserve(out, room);
        char *op0 = op;
        size_t ol = room;
        size_t r = yaz_iconv(cd, NULL, NULL, &op, &ol);
        out->len += (size_t)(op - op0);
        if (r == 0 || yaz_iconv_error(cd) != YAZ_ICONV_E2BIG)
            break;
        room *= 2;
    }
    yaz_iconv(cd, NULL, NULL, NULL, NULL); /* back to the initial state even after an error */
}

/*
 * Put cd in its initial state, ready for new input.  The initialisation is
 * run on an empty string at once: yaz's UTF-8 reader runs it on the first
 * bytes of the next input and takes any "EF xx BF" there for a byte order
 * mark and drops it.
 */
static void
yaz_reset(yaz_iconv_t cd)
{
    static const char nothing[1] = "";
    char *ip = (char *)nothing;
    size_t il = 0;
    char sink[8];
    char *op = sink;
    size_t ol = sizeof sink;
    yaz_iconv(cd, NULL, NULL, NULL, NULL);
    yaz_iconv(cd, &ip, &il, &op, &ol);
}

struct marc_marc8 {
    yaz_iconv_t dec, dec_probe, enc, enc_probe;
    struct marc_buf feed;  /* UTF-8 prepared for the encoder */
    struct marc_buf probe; /* probe output */
};

static yaz_iconv_t
conv_get(yaz_iconv_t *slot, const char *to, const char *from)
{
    if (!*slot)
        *slot = yaz_iconv_open(to, from);
    if (!*slot)
        abort(); /* built in to every libyaz: only a broken install gets here */
    return *slot;
}

/* Close c's converters and buffers, leaving it empty. */
static void
conv_close(struct marc_marc8 *c)
{
    yaz_iconv_t all[] = {c->dec, c->dec_probe, c->enc, c->enc_probe};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i])
            yaz_iconv_close(all[i]);
    marc_buf_free(&c->feed);
    marc_buf_free(&c->probe);
    memset(c, 0, sizeof *c);
}

/* ---- MARC-8 -> UTF-8 ---- */

/* Code points yaz makes of one character in state st (followed by a space). */
static size_t
m8_probe(struct marc_marc8 *c, const struct m8_state *st, const unsigned char *ch, size_t len)
{
    unsigned char buf[16];
    size_t n = 0;
    for (int g = 0; g < 2; g++)
        memcpy(buf + n, st->esc[g], st->esc_len[g]), n += st->esc_len[g];
    memcpy(buf + n, ch, len), n += len;
    buf[n++] = ' ';
    yaz_iconv_t cd = conv_get(&c->dec_probe, "UTF-8", "MARC8");
    yaz_reset(cd);
    marc_buf_reset(&c->probe);
    size_t consumed;
    yaz_run(cd, (const char *)buf, n, &c->probe, &consumed);
    return count_code_points(c->probe.data, c->probe.len);
}

/* yaz made fewer code points than there are characters: find the lost one. */
static void
m8_find_undefined(struct marc_marc8 *c, const unsigned char *s, size_t len, struct m8_error *err)
{
    struct m8_state st;
    m8_init(&st);
    size_t pos = 0, bad;
    struct m8_unit u;
    while (m8_next(s, len, &pos, &st, &u, &bad) == M8_OK) {
        if (m8_probe(c, &st, s + u.at, u.len) != (size_t)u.yields + 1) {
            *err = (struct m8_error){M8_UNDEFINED, u.at, u.len, st};
            return;
        }
    }
    *err = (struct m8_error){M8_UNDEFINED, 0, len < 4 ? len : 4, st}; /* not seen to happen */
}

/* Convert one MARC-8 string that starts in the default sets. */
static enum m8_problem
m8_decode(struct marc_marc8 *c, const char *in, size_t len, struct marc_buf *out,
          struct m8_error *err)
{
    const unsigned char *s = (const unsigned char *)in;
    struct m8_scan sc;
    if (m8_scan(s, len, &sc, err) != M8_OK)
        return err->what;
    if (sc.expected == 0)
        return M8_OK;
    yaz_iconv_t cd = conv_get(&c->dec, "UTF-8", "MARC8");
    yaz_reset(cd);
    size_t start = out->len, consumed;
    int e = yaz_run(cd, in, sc.chars_end, out, &consumed);
    if (e) {
        /* Escapes are valid here, so yaz stopped at combining marks that
         * end the string (EINVAL) or at a byte it cannot place (EILSEQ). */
        out->len = start;
        err->what = e == YAZ_ICONV_EINVAL ? M8_LONE_COMBINING : M8_UNDEFINED;
        m8_init(&err->st);
        /* yaz stops before escapes that come ahead of the mark: name the mark. */
        while (consumed < len && s[consumed] == ESC) {
            int n = m8_escape(s + consumed, len - consumed, &err->st);
            if (n <= 0)
                break;
            consumed += (size_t)n;
        }
        /* The scan keeps yaz's count of bytes right; should it still stop
         * past the input, name the last character rather than a byte that
         * is not there. */
        err->at = consumed < sc.chars_end ? consumed : sc.chars_end - 1;
        err->len = 1;
        return err->what;
    }
    if (count_code_points(out->data + start, out->len - start) != sc.expected) {
        out->len = start;
        m8_find_undefined(c, s, len, err);
        return err->what;
    }
    return M8_OK;
}

/* ---- UTF-8 -> MARC-8 ---- */

/*
 * Of the MARC-8 bytes p[0..len) that yaz wrote for one character: how many
 * combining characters they hold, and whether the last is one (the
 * character is a mark, written before its base; else it is a base, perhaps
 * with marks of its own: yaz writes e-acute as ANSEL acute + e).
 */
static int
m8_count_marks(const unsigned char *p, size_t len, bool *mark)
{
    struct m8_state st;
    m8_init(&st);
    int marks = 0;
    *mark = false;
    for (size_t k = 0; k < len;) {
        if (p[k] == ESC) {
            int e = m8_escape(p + k, len - k, &st);
            if (e <= 0)
                break;
            k += (size_t)e;
            continue;
        }
        int high = p[k] >= 0x80;
        *mark = !st.wide[high] && m8_combining(st.set[high], p[k]);
        marks += *mark;
        k += st.wide[high] ? 3 : 1;
    }
    return marks;
}

/*
 * The set yaz writes cp in: -1 when MARC-8 lacks cp, 0 for ASCII and ANSEL,
 * else the final byte of the designating escape ('p' superscripts, 'N'
 * Cyrillic, '1' EACC).  *mark: MARC-8 writes cp as a combining character,
 * before its base (not every Unicode mark is one: Arabic superscript alef
 * is a letter of its own in MARC-8); *marks: the combining characters it is
 * written as.
 */
static int
m8_page(struct marc_marc8 *c, uint32_t cp, bool *mark, int *marks)
{
    char utf8[4];
    int n = marc_utf8_encode(cp, utf8);
    yaz_iconv_t cd = conv_get(&c->enc_probe, "MARC8", "UTF-8");
    yaz_reset(cd);
    marc_buf_reset(&c->probe);
    size_t consumed;
    yaz_run(cd, utf8, (size_t)n, &c->probe, &consumed);
    yaz_finish(cd, &c->probe);
    const unsigned char *p = (const unsigned char *)c->probe.data;
    *marks = m8_count_marks(p, c->probe.len, mark);
    if (c->probe.len == 0)
        return -1;
    struct m8_state st;
    m8_init(&st);
    if (p[0] != ESC || m8_escape(p, c->probe.len, &st) <= 0)
        return 0;
    return st.wide[0] || st.set[0] != 'B' ? (unsigned char)st.set[0] : 0;
}

static void
put_utf8(struct marc_buf *b, uint32_t cp)
{
    char *p = marc_buf_reserve(b, 4);
    b->len += (size_t)marc_utf8_encode(cp, p);
}

/*
 * Split cp into characters MARC-8 has, one canonical decomposition step at a
 * time: U+1EDF (o, horn, hook) becomes U+01A1 U+0309, which ANSEL has, where
 * the full decomposition would need a combining horn, which it has not.
 * Appends to parts (at most cap) and returns false when cp cannot be split.
 */
static bool
m8_split(struct marc_marc8 *c, uint32_t cp, uint32_t *parts, int *n, int cap, int depth)
{
    uint32_t d[8];
    int len = marc_charset_decompose(cp, d);
    if (len <= 0 || depth > 4)
        return false;
    for (int i = 0; i < len; i++) {
        bool mark;
        int marks;
        if (m8_page(c, d[i], &mark, &marks) >= 0) {
            if (*n == cap)
                return false;
            parts[(*n)++] = d[i];
        } else if (!m8_split(c, d[i], parts, n, cap, depth + 1)) {
            return false;
        }
    }
    return true;
}

/*
 * The set of cp's first part, -1 when MARC-8 lacks some part; *mark:
 * whether that part is a combining character; *marks: how many combining
 * characters the parts are written as.
 */
static int
decomposed_page(struct marc_marc8 *c, uint32_t cp, uint32_t *parts, int *n, bool *mark,
                int *marks)
{
    *n = 0;
    *marks = 0;
    *mark = false;
    if (!m8_split(c, cp, parts, n, 8, 0) || *n == 0)
        return -1;
    int page = -1;
    for (int k = *n - 1; k >= 0; k--) {
        int m;
        page = m8_page(c, parts[k], mark, &m);
        *marks += m;
    }
    return page;
}

/*
 * In feed, where yaz must be flushed.  yaz leaves a technique 1 set (ESC p,
 * ESC b, ESC g) with "ESC s ESC ( B" even when the next character (or a
 * combining mark it writes early) needs another set, and then writes that
 * character without designating its set.  So the encoder starts afresh after
 * every technique 1 character; m8_collapse_spaces removes the "ESC s ESC p"
 * this leaves between two superscripts.  0x01 cannot be in feed otherwise:
 * controls become references.
 */
#define FEED_FLUSH '\x01'

static bool
technique1(int page)
{
    return page == 'p' || page == 'b' || page == 'g';
}

/* How one character of the encoder's input is to be written. */
struct m8_char {
    int page;         /* its set (see m8_page), -1: as a reference */
    bool mark;        /* written before its base, as MARC-8 combining characters are */
    int marks;        /* combining characters it is written as */
    int nparts;       /* parts of its decomposition, 0: written as itself */
    uint32_t parts[8];
};

static void
m8_classify(struct marc_marc8 *c, uint32_t cp, struct m8_char *ch)
{
    ch->nparts = 0;
    ch->mark = false;
    ch->marks = 0;
    /* ESC and the other controls would be read as MARC-8 controls. */
    if (cp < 0x20 || cp == 0x7F) {
        ch->page = -1;
    } else if (cp < 0x80) {
        ch->page = 0;
    } else {
        ch->page = m8_page(c, cp, &ch->mark, &ch->marks);
        if (ch->page < 0)
            ch->page = decomposed_page(c, cp, ch->parts, &ch->nparts, &ch->mark, &ch->marks);
    }
}

/*
 * Prepare in (valid UTF-8) for the encoder: characters MARC-8 lacks become
 * their decomposition or "&#xXXXX;", reported through ncr.  So do combining
 * marks MARC-8 could not read back: one with no base before it (or after a
 * reference), and those past the seventh on one base (yaz reads seven).
 */
static void
m8_prepare(struct marc_marc8 *c, const char *in, size_t len, marc_marc8_ncr_fn ncr, void *ncr_ctx)
{
    marc_buf_reset(&c->feed);
    bool no_base = true; /* a mark here would sit on nothing or on a reference */
    int last = 0;        /* the set of the last base character */
    int marks = 0;       /* combining characters on the last base */
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = marc_utf8_decode(in + i, len - i, &cp);
        struct m8_char ch;
        m8_classify(c, cp, &ch);
        if (ch.mark && (no_base || marks + ch.marks > MAX_COMBINING))
            ch.page = -1;
        if (ch.page < 0) {
            marc_buf_printf(&c->feed, "&#x%04" PRIX32 ";", cp);
            if (ncr)
                ncr(ncr_ctx, cp, i);
            no_base = true;
            last = 0;
        } else {
            if (!ch.mark && technique1(last))
                marc_buf_putc(&c->feed, FEED_FLUSH);
            if (ch.nparts == 0)
                marc_buf_append(&c->feed, in + i, (size_t)n);
            for (int k = 0; k < ch.nparts; k++)
                put_utf8(&c->feed, ch.parts[k]);
            if (ch.mark) {
                marks += ch.marks;
            } else {
                no_base = false;
                last = ch.page;
                marks = ch.marks;
            }
        }
        i += (size_t)n;
    }
}

/*
 * yaz returns to ASCII before every space and designates the set again after
 * it; MARC-8 writers keep the spaces inside a run of Cyrillic, Hebrew, Greek
 * or Arabic (0x20 is the space in every set), and EACC text has ASCII spaces
 * between escapes.  Turn "ESC ( B spaces ESC <the single-byte set before>"
 * into the spaces, and drop "ESC s ESC <the set before>" (no spaces), which
 * changes nothing.
 */
static void
m8_collapse_spaces(struct marc_buf *b, size_t start)
{
    unsigned char *s = (unsigned char *)b->data;
    size_t r = start, w = start, end = b->len;
    unsigned char cur[5]; /* escape of the G0 set in use, none for ASCII */
    size_t cur_len = 0;
    bool cur_wide = false;
    while (r < end) {
        if (s[r] != ESC) {
            s[w++] = s[r++];
            continue;
        }
        struct m8_state st;
        m8_init(&st);
        int n = m8_escape(s + r, end - r, &st);
        if (n <= 0) { /* not from yaz: leave the rest as it is */
            memmove(s + w, s + r, end - r);
            w += end - r;
            break;
        }
        if (st.esc_len[0] && st.set[0] == 'B' && cur_len) {
            size_t k = r + (size_t)n;
            while (k < end && s[k] == ' ')
                k++;
            size_t spaces = k - r - (size_t)n;
            if ((spaces == 0 || !cur_wide) && end - k >= cur_len &&
                memcmp(s + k, cur, cur_len) == 0) {
                memset(s + w, ' ', spaces);
                w += spaces;
                r = k + cur_len;
                continue;
            }
        }
        if (st.esc_len[0]) {
            cur_len = st.set[0] == 'B' ? 0 : (size_t)n;
            cur_wide = st.wide[0];
            memcpy(cur, s + r, cur_len);
        }
        memmove(s + w, s + r, (size_t)n);
        w += (size_t)n;
        r += (size_t)n;
    }
    b->len = w;
    if (b->len < b->cap)
        b->data[b->len] = '\0';
}

/* True when every byte is printable ASCII (and so the same in both encodings). */
static bool
plain_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7E)
            return false;
    return true;
}

int
marc_marc8_encode(struct marc_marc8 *c, const char *in, size_t len, struct marc_buf *out,
                  size_t *bad, marc_marc8_ncr_fn ncr, void *ncr_ctx)
{
    size_t where;
    if (!marc_utf8_valid(in, len, &where)) {
        if (bad)
            *bad = where;
        return MARC_ERR_CHARSET;
    }
    if (plain_ascii(in, len)) {
        marc_buf_append(out, in, len);
        return MARC_OK;
    }
    m8_prepare(c, in, len, ncr, ncr_ctx);
    yaz_iconv_t cd = conv_get(&c->enc, "MARC8", "UTF-8");
    size_t start = out->len, from = 0;
    for (;;) {
        const char *cut = memchr(c->feed.data + from, FEED_FLUSH, c->feed.len - from);
        size_t to = cut ? (size_t)(cut - c->feed.data) : c->feed.len, consumed;
        yaz_reset(cd);
        /* Everything in feed is encodable, so yaz cannot fail here. */
        yaz_run(cd, c->feed.data + from, to - from, out, &consumed);
        yaz_finish(cd, out);
        if (!cut)
            break;
        from = to + 1;
    }
    m8_collapse_spaces(out, start);
    return MARC_OK;
}

/* Name of a MARC-8 set, from the final byte of its escape sequence. */
static const char *
set_name(char set, bool wide)
{
    static const char finals[] = "BEgbp2NQ34S";
    static const char *const names[] = {
        "ASCII",        "ANSEL",           "Greek symbols",  "subscripts",
        "superscripts", "Basic Hebrew",    "Basic Cyrillic", "Extended Cyrillic",
        "Basic Arabic", "Extended Arabic", "Basic Greek",
    };
    const char *p = set && !wide ? strchr(finals, set) : NULL;
    return p ? names[p - finals] : "EACC";
}

/* "1B 28 5A" for the bytes of a bad sequence. */
static void
hex_bytes(char *dst, size_t cap, const char *s, size_t len)
{
    size_t w = 0;
    dst[0] = '\0';
    for (size_t i = 0; i < len && w + 4 < cap; i++)
        w += (size_t)snprintf(dst + w, cap - w, i ? " %02X" : "%02X", (unsigned char)s[i]);
}

/* Name the problem e of in[0..len) in out. */
static void
describe(const char *in, size_t len, const struct m8_error *e, struct marc_marc8_error *out)
{
    static const struct {
        const char *code, *text;
    } what[] = {
        [M8_BAD_ESCAPE] = {"marc8-bad-escape", "invalid MARC-8 escape sequence"},
        [M8_INCOMPLETE_ESCAPE] = {"marc8-incomplete-escape", "incomplete MARC-8 escape sequence"},
        [M8_BAD_BYTE] = {"marc8-bad-byte", "not a MARC-8 character:"},
        [M8_INCOMPLETE_CHAR] = {"marc8-incomplete-char", "incomplete EACC character:"},
        [M8_UNDEFINED] = {"marc8-undefined", "undefined character"},
        [M8_LONE_COMBINING] = {"marc8-lone-combining", "combining mark with no base character:"},
        [M8_TOO_MANY_COMBINING] = {"marc8-too-many-combining",
                                   "more than 7 combining marks before one character:"},
        [M8_LONE_SECOND_HALF] = {"marc8-lone-second-half",
                                 "second half of a double diacritic without its first half:"},
        [M8_MARK_BEFORE_SECOND_HALF] = {"marc8-mark-before-second-half",
                                        "combining mark before the second half of a double "
                                        "diacritic:"},
    };
    char hex[40];
    hex_bytes(hex, sizeof hex, in + e->at, e->len);
    int high = e->at < len && (unsigned char)in[e->at] >= 0x80;
    bool undef = e->what == M8_UNDEFINED;
    const char *set = set_name(e->st.set[high], e->st.wide[high]);
    out->code = what[e->what].code;
    out->at = e->at;
    snprintf(out->text, sizeof out->text, "%s %s%s%s", what[e->what].text, hex,
             undef ? " in set " : "", undef ? set : "");
}

int
marc_marc8_decode(struct marc_marc8 *c, const char *in, size_t len, struct marc_buf *out,
                  struct marc_marc8_error *err)
{
    if (plain_ascii(in, len)) {
        marc_buf_append(out, in, len);
        return MARC_OK;
    }
    struct m8_error e;
    if (m8_decode(c, in, len, out, &e) == M8_OK)
        return MARC_OK;
    describe(in, len, &e, err);
    return MARC_ERR_CHARSET;
}

struct marc_marc8 *
marc_marc8_new(void)
{
    return xcalloc(1, sizeof(struct marc_marc8));
}

void
marc_marc8_free(struct marc_marc8 *c)
{
    if (!c)
        return;
    conv_close(c);
    free(c);
}

/* ---- string-level API (charset.h) ---- */

int
marc_marc8_to_utf8(const char *in, size_t len, struct marc_buf *out, size_t *bad)
{
    if (plain_ascii(in, len)) {
        marc_buf_append(out, in, len);
        return MARC_OK;
    }
    struct marc_marc8 c = {0};
    struct m8_error err;
    enum m8_problem p = m8_decode(&c, in, len, out, &err);
    conv_close(&c);
    if (p != M8_OK && bad)
        *bad = err.at;
    return p == M8_OK ? MARC_OK : MARC_ERR_CHARSET;
}

int
marc_utf8_to_marc8(const char *in, size_t len, struct marc_buf *out, size_t *bad)
{
    struct marc_marc8 c = {0};
    int rc = marc_marc8_encode(&c, in, len, out, bad, NULL, NULL);
    conv_close(&c);
    return rc;
}
