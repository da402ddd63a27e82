/*
 * charset.c - MARC-8 <-> UTF-8 through libyaz, NFC/NFD through ICU (see
 * charset.h).  The only file of Colophon that includes yaz's iconv header.
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
 * Each subfield (and each control field) is converted on its own, starting in
 * the default sets (G0 ASCII, G1 ANSEL), as yaz-marcdump, pymarc and marc4j do;
 * MARC-8 writers re-designate at the start of every subfield.  Indicators and
 * subfield codes are ASCII in both encodings and are copied.
 *
 * Towards MARC-8, characters yaz cannot encode are tried in their canonical
 * decomposition (o with double acute -> o + combining double acute), else
 * written as "&#xXXXX;" (upper-case hex, the LC convention; yaz's own lossless
 * mode writes lower case and cuts code points above U+FFFF).  A combining mark
 * that would attach to such a reference, or to nothing, is written as a
 * reference too.  Going the other way a literal "&#x...;" is left alone: it is
 * data, and a catalogue may well contain the text "&#xFFFD;".
 *
 * A failed record-level conversion changes nothing: converted field bodies
 * collect in a scratch buffer and replace the fields only when all succeeded.
 */
#include "charset.h"

#include "marc-int.h"
#include "utf8.h"

#include <yaz/yaz-iconv.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ESC 0x1B
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
    bool combining; /* an ANSEL combining mark */
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

/* A character of one of the designated sets at s[pos]. */
static enum m8_problem
m8_graphic(const unsigned char *s, size_t len, size_t pos, const struct m8_state *st,
           struct m8_unit *u)
{
    unsigned char b = s[pos];
    int high = b >= 0x80;
    char set = st->set[high];
    unsigned char lo = high ? 0xA1 : 0x21, hi = high ? 0xFE : 0x7E;
    u->at = pos;
    u->len = 1;
    u->yields = 1;
    u->combining = false;
    if (st->wide[high]) {
        for (size_t k = 0; k < 3; k++)
            if (pos + k >= len || s[pos + k] < lo || s[pos + k] > hi)
                return M8_INCOMPLETE_CHAR;
        u->len = 3;
        return M8_OK;
    }
    if (set == 'E') { /* ANSEL, usually as G1, possibly as G0 */
        unsigned char g1b = (unsigned char)(b | 0x80);
        u->combining = g1b >= 0xE0;
        /* Second halves of ligature and double tilde: yaz folds them into
         * the first half and makes nothing of them. */
        if (g1b == 0xEC || g1b == 0xFB)
            u->yields = 0;
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
        *u = (struct m8_unit){*pos, 1, 1, false};
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

static enum m8_problem
m8_scan(const unsigned char *s, size_t len, struct m8_scan *sc, struct m8_error *err)
{
    struct m8_state st;
    m8_init(&st);
    size_t pos = 0, run = 0, run_start = 0;
    sc->chars_end = 0;
    sc->expected = 0;
    for (;;) {
        struct m8_unit u;
        enum m8_problem p = m8_next(s, len, &pos, &st, &u, &err->at);
        if (p == M8_END)
            return M8_OK;
        if (p != M8_OK) {
            err->what = p;
            err->st = st;
            err->len = p == M8_BAD_BYTE ? 1 : len - err->at;
            struct m8_state scratch = st;
            if (p == M8_BAD_ESCAPE)
                err->len = (size_t)-m8_escape(s + err->at, len - err->at, &scratch);
            if (err->len > 4)
                err->len = 4;
            return p;
        }
        if (!u.combining)
            run = 0;
        else if (run++ == 0)
            run_start = u.at;
        if (run > MAX_COMBINING) {
            *err = (struct m8_error){M8_TOO_MANY_COMBINING, run_start, u.at + 1 - run_start, st};
            return err->what;
        }
        sc->expected += (size_t)u.yields;
        sc->chars_end = u.at + u.len;
    }
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

/* The converters of one job, opened when first needed. */
struct m8_conv {
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

static void
conv_close(struct m8_conv *c)
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
m8_probe(struct m8_conv *c, const struct m8_state *st, const unsigned char *ch, size_t len)
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
m8_find_undefined(struct m8_conv *c, const unsigned char *s, size_t len, struct m8_error *err)
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
m8_decode(struct m8_conv *c, const char *in, size_t len, struct marc_buf *out, struct m8_error *err)
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
        while (consumed < len && s[consumed] == ESC)
            consumed += (size_t)m8_escape(s + consumed, len - consumed, &err->st);
        err->at = consumed;
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

/* Called for each character written as a numeric character reference. */
typedef void (*ncr_fn)(void *ctx, uint32_t cp, size_t at);

/*
 * The set yaz writes cp in: -1 when MARC-8 lacks cp, 0 for ASCII and ANSEL,
 * else the final byte of the designating escape ('p' superscripts, 'N'
 * Cyrillic, '1' EACC).
 */
static int
m8_page(struct m8_conv *c, uint32_t cp)
{
    char utf8[4];
    int n = marc_utf8_encode(cp, utf8);
    yaz_iconv_t cd = conv_get(&c->enc_probe, "MARC8", "UTF-8");
    yaz_reset(cd);
    marc_buf_reset(&c->probe);
    size_t consumed;
    yaz_run(cd, utf8, (size_t)n, &c->probe, &consumed);
    yaz_finish(cd, &c->probe);
    if (c->probe.len == 0)
        return -1;
    struct m8_state st;
    m8_init(&st);
    const unsigned char *p = (const unsigned char *)c->probe.data;
    if (p[0] != ESC || m8_escape(p, c->probe.len, &st) <= 0)
        return 0;
    return st.wide[0] || st.set[0] != 'B' ? (unsigned char)st.set[0] : 0;
}

static bool
is_mark(uint32_t cp)
{
    int8_t t = u_charType((UChar32)cp);
    return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK;
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
m8_split(struct m8_conv *c, uint32_t cp, uint32_t *parts, int *n, int cap, int depth)
{
    UErrorCode ec = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&ec);
    UChar d[8];
    int32_t len = U_SUCCESS(ec) ? unorm2_getRawDecomposition(nfd, (UChar32)cp, d, 8, &ec) : -1;
    if (len <= 0 || U_FAILURE(ec) || depth > 4)
        return false;
    for (int32_t i = 0; i < len;) {
        UChar32 x;
        U16_NEXT(d, i, len, x);
        if (m8_page(c, (uint32_t)x) >= 0) {
            if (*n == cap)
                return false;
            parts[(*n)++] = (uint32_t)x;
        } else if (!m8_split(c, (uint32_t)x, parts, n, cap, depth + 1)) {
            return false;
        }
    }
    return true;
}

/* The set of cp's first part, -1 when MARC-8 lacks some part. */
static int
decomposed_page(struct m8_conv *c, uint32_t cp, uint32_t *parts, int *n)
{
    *n = 0;
    return m8_split(c, cp, parts, n, 8, 0) && *n > 0 ? m8_page(c, parts[0]) : -1;
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

/*
 * Prepare in (valid UTF-8) for the encoder: characters MARC-8 lacks become
 * their decomposition or "&#xXXXX;", reported through ncr.
 */
static void
m8_prepare(struct m8_conv *c, const char *in, size_t len, ncr_fn ncr, void *ncr_ctx)
{
    marc_buf_reset(&c->feed);
    bool no_base = true; /* a mark here would sit on nothing or on a reference */
    int last = 0;        /* the set of the last base character */
    for (size_t i = 0; i < len;) {
        uint32_t cp, parts[8];
        int n = marc_utf8_decode(in + i, len - i, &cp), nparts = 0;
        bool mark = cp >= 0x80 && is_mark(cp);
        /* ESC and the other controls would be read as MARC-8 controls. */
        int page = cp < 0x20 || cp == 0x7F || (mark && no_base) ? -1
                   : cp < 0x80                                  ? 0
                                                                : m8_page(c, cp);
        if (page < 0 && cp >= 0x80 && !(mark && no_base))
            page = decomposed_page(c, cp, parts, &nparts);
        if (page < 0) {
            marc_buf_printf(&c->feed, "&#x%04" PRIX32 ";", cp);
            if (ncr)
                ncr(ncr_ctx, cp, i);
            no_base = true;
            last = 0;
        } else {
            if (!mark && technique1(last))
                marc_buf_putc(&c->feed, FEED_FLUSH);
            if (nparts == 0)
                marc_buf_append(&c->feed, in + i, (size_t)n);
            for (int k = 0; k < nparts; k++)
                put_utf8(&c->feed, parts[k]);
            if (!mark)
                no_base = false, last = page;
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

static int
m8_encode(struct m8_conv *c, const char *in, size_t len, struct marc_buf *out, size_t *bad,
          ncr_fn ncr, void *ncr_ctx)
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

/* ---- normalisation ---- */

static const UNormalizer2 *
normalizer(enum marc_normal_form nf)
{
    UErrorCode ec = U_ZERO_ERROR;
    const UNormalizer2 *n =
        nf == MARC_NF_NFD ? unorm2_getNFDInstance(&ec) : unorm2_getNFCInstance(&ec);
    return U_SUCCESS(ec) ? n : NULL;
}

/* UTF-16 text: in a caller's stack buffer when it fits, else on the heap. */
struct u16 {
    UChar *s;
    int32_t len;
    bool heap;
};

static bool
u16_from_utf8(struct u16 *t, UChar *stack, size_t cap, const char *in, size_t len)
{
    /* A UTF-8 string never has more UTF-16 units than bytes. */
    t->heap = len > cap;
    t->s = t->heap ? xmalloc(len * sizeof(UChar)) : stack;
    UErrorCode ec = U_ZERO_ERROR;
    u_strFromUTF8(t->s, (int32_t)(t->heap ? len : cap), &t->len, in, (int32_t)len, &ec);
    return U_SUCCESS(ec);
}

static void
u16_free(struct u16 *t)
{
    if (t->heap)
        free(t->s);
}

#define STACK_UNITS 2048

/* True when valid, non-ASCII in[0..len) is not yet in the form nf. */
static bool
needs_normalizing(const UNormalizer2 *n, const char *in, size_t len)
{
    UChar stack[STACK_UNITS];
    struct u16 t;
    bool ok = u16_from_utf8(&t, stack, STACK_UNITS, in, len);
    UErrorCode ec = U_ZERO_ERROR;
    bool need = ok && unorm2_quickCheck(n, t.s, t.len, &ec) != UNORM_YES && U_SUCCESS(ec);
    u16_free(&t);
    return need;
}

/* Append the normal form of valid UTF-8 in[0..len) to out. */
static int
normalize_into(const UNormalizer2 *n, const char *in, size_t len, struct marc_buf *out)
{
    UChar stack[STACK_UNITS];
    struct u16 t;
    if (!u16_from_utf8(&t, stack, STACK_UNITS, in, len))
        return MARC_ERR_CHARSET;
    int32_t cap = t.len * 2 + 16;
    UChar *d = NULL;
    int32_t dlen;
    UErrorCode ec;
    do {
        d = xrealloc(d, (size_t)cap * sizeof(UChar));
        ec = U_ZERO_ERROR;
        dlen = unorm2_normalize(n, t.s, t.len, d, cap, &ec);
        cap = dlen + 1;
    } while (ec == U_BUFFER_OVERFLOW_ERROR);
    u16_free(&t);
    if (U_SUCCESS(ec)) {
        /* A UTF-16 unit is at most three bytes of UTF-8. */
        size_t room = (size_t)dlen * 3 + 1;
        char *p = marc_buf_reserve(out, room);
        int32_t olen;
        u_strToUTF8(p, (int32_t)room, &olen, d, dlen, &ec);
        if (U_SUCCESS(ec))
            out->len += (size_t)olen;
    }
    free(d);
    return U_SUCCESS(ec) ? MARC_OK : MARC_ERR_CHARSET;
}

/* ---- string-level API ---- */

int
marc_marc8_to_utf8(const char *in, size_t len, struct marc_buf *out, size_t *bad)
{
    if (plain_ascii(in, len)) {
        marc_buf_append(out, in, len);
        return MARC_OK;
    }
    struct m8_conv c = {0};
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
    struct m8_conv c = {0};
    int rc = m8_encode(&c, in, len, out, bad, NULL, NULL);
    conv_close(&c);
    return rc;
}

int
marc_utf8_normalize(const char *in, size_t len, enum marc_normal_form nf, struct marc_buf *out,
                    size_t *bad)
{
    size_t where;
    if (!marc_utf8_valid(in, len, &where)) {
        if (bad)
            *bad = where;
        return MARC_ERR_CHARSET;
    }
    const UNormalizer2 *n = nf == MARC_NF_NONE ? NULL : normalizer(nf);
    if (!n || marc_ascii_only(in, len) || !needs_normalizing(n, in, len)) {
        marc_buf_append(out, in, len);
        return MARC_OK;
    }
    int rc = normalize_into(n, in, len, out);
    if (rc != MARC_OK && bad)
        *bad = 0;
    return rc;
}

/* ---- record-level conversions ---- */

/* A converted field body waiting in job.out to replace field `field`. */
struct edit {
    size_t field, off, len;
};

struct job {
    struct marc_record *r;
    struct marc_decode_ctx *ctx;
    struct m8_conv conv;
    const UNormalizer2 *norm;
    struct marc_buf out; /* converted bodies back to back */
    struct edit *edits;
    size_t nedits, cap;
    size_t field;    /* the field being converted */
    size_t value_at; /* offset in that field of the value being converted */
    char code;       /* its subfield code, 0 in a control field */
};

/* What to do with one value: a control field's, or one subfield's. */
typedef int (*value_fn)(struct job *j, const char *in, size_t len);

static void
job_init(struct job *j, struct marc_record *r, struct marc_decode_ctx *ctx)
{
    memset(j, 0, sizeof *j);
    j->r = r;
    j->ctx = ctx;
}

static void
job_free(struct job *j)
{
    conv_close(&j->conv);
    marc_buf_free(&j->out);
    free(j->edits);
}

/* The offset of a field byte in the record's ISO 2709 image, -1 when the
 * record does not hold one (it came from another format or was edited). */
static long long
record_offset(const struct marc_record *r, size_t i, size_t pos)
{
    const struct marc_field *f = &r->fields[i];
    uintptr_t raw = (uintptr_t)r->raw, p = (uintptr_t)f->data;
    if (!r->raw || r->raw_len <= MARC_LEADER_LEN || r->raw[r->raw_len - 1] != MARC_RECORD_TERM ||
        f->owned || p < raw || p + f->len > raw + r->raw_len)
        return -1;
    return (long long)(p - raw + pos);
}

static void job_report(struct job *j, enum marc_severity sev, enum marc_err kind, const char *code,
                       size_t pos, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Report a problem at byte `pos` of the current field. */
static void
job_report(struct job *j, enum marc_severity sev, enum marc_err kind, const char *code, size_t pos,
           const char *fmt, ...)
{
    char msg[240];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char sub[8] = "";
    if (j->code)
        snprintf(sub, sizeof sub, "$%c, ", j->code);
    const struct marc_field *f = &j->r->fields[j->field];
    marc_codec_report(j->ctx, sev, kind, code, f->tag, marc_record_occurrence(j->r, j->field),
                      record_offset(j->r, j->field, pos), j->ctx->line,
                      "%s (%sbyte %zu of the field)", msg, sub, pos);
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

static void
report_m8(struct job *j, const char *in, size_t len, const struct m8_error *e)
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
    };
    char hex[40];
    hex_bytes(hex, sizeof hex, in + e->at, e->len);
    int high = e->at < len && (unsigned char)in[e->at] >= 0x80;
    bool undef = e->what == M8_UNDEFINED;
    const char *set = set_name(e->st.set[high], e->st.wide[high]);
    job_report(j, MARC_SEV_ERROR, MARC_ERR_CHARSET, what[e->what].code, j->value_at + e->at,
               "%s %s%s%s", what[e->what].text, hex, undef ? " in set " : "", undef ? set : "");
}

static int
value_to_utf8(struct job *j, const char *in, size_t len)
{
    if (plain_ascii(in, len)) {
        marc_buf_append(&j->out, in, len);
        return MARC_OK;
    }
    struct m8_error e;
    if (m8_decode(&j->conv, in, len, &j->out, &e) == M8_OK)
        return MARC_OK;
    report_m8(j, in, len, &e);
    return MARC_ERR_CHARSET;
}

static void
report_utf8(struct job *j, const char *in, size_t bad)
{
    job_report(j, MARC_SEV_ERROR, MARC_ERR_CHARSET, "utf8-invalid", j->value_at + bad,
               "invalid UTF-8 (byte \\x%02X)", (unsigned char)in[bad]);
}

static void
report_ncr(void *ctx, uint32_t cp, size_t at)
{
    struct job *j = ctx;
    job_report(j, MARC_SEV_WARNING, MARC_ERR_CHARSET, "marc8-unencodable", j->value_at + at,
               "U+%04" PRIX32 " cannot be written in MARC-8; written as &#x%04" PRIX32 ";", cp, cp);
}

static int
value_to_marc8(struct job *j, const char *in, size_t len)
{
    size_t bad = 0;
    int rc = m8_encode(&j->conv, in, len, &j->out, &bad, report_ncr, j);
    if (rc != MARC_OK)
        report_utf8(j, in, bad);
    return rc;
}

static int
value_normalize(struct job *j, const char *in, size_t len)
{
    size_t bad;
    if (!marc_utf8_valid(in, len, &bad)) {
        report_utf8(j, in, bad);
        return MARC_ERR_CHARSET;
    }
    if (marc_ascii_only(in, len) || !needs_normalizing(j->norm, in, len)) {
        marc_buf_append(&j->out, in, len);
        return MARC_OK;
    }
    int rc = normalize_into(j->norm, in, len, &j->out);
    if (rc != MARC_OK)
        job_report(j, MARC_SEV_ERROR, rc, "normalize", j->value_at, "Unicode normalisation failed");
    return rc;
}

/* Indicators and subfield codes are ASCII in both encodings. */
static bool
check_ascii(struct job *j, const char *what, const char *s, size_t n, size_t pos)
{
    for (size_t k = 0; k < n; k++) {
        if ((unsigned char)s[k] < 0x20 || (unsigned char)s[k] > 0x7E) {
            job_report(j, MARC_SEV_ERROR, MARC_ERR_CHARSET, "charset-not-ascii", pos + k,
                       "%s byte \\x%02X is not printable ASCII", what, (unsigned char)s[k]);
            return false;
        }
    }
    return true;
}

/* The subfields of a data field body, after the indicators. */
static int
convert_subfields(struct job *j, const char *d, size_t len, value_fn fn, bool ascii_codes)
{
    size_t pos = len < 2 ? len : 2;
    while (pos < len) {
        size_t start = pos;
        j->code = 0;
        if (d[pos] == MARC_SUBFIELD_DELIM) {
            marc_buf_putc(&j->out, MARC_SUBFIELD_DELIM);
            start = pos + 1;
            if (start < len) {
                if (ascii_codes && !check_ascii(j, "subfield code", d + start, 1, start))
                    return MARC_ERR_CHARSET;
                j->code = d[start];
                marc_buf_putc(&j->out, d[start++]);
            }
        }
        const char *next = memchr(d + start, MARC_SUBFIELD_DELIM, len - start);
        size_t end = next ? (size_t)(next - d) : len;
        j->value_at = start;
        int rc = fn(j, d + start, end - start);
        if (rc != MARC_OK)
            return rc;
        pos = end;
    }
    return MARC_OK;
}

/* Convert field i into j->out and queue the result; the record is not touched. */
static int
convert_field(struct job *j, size_t i, value_fn fn, bool ascii_codes)
{
    const struct marc_field *f = &j->r->fields[i];
    size_t mark = j->out.len;
    int rc = MARC_OK;
    j->field = i;
    j->code = 0;
    j->value_at = 0;
    if (f->control) {
        rc = fn(j, f->data, f->len);
    } else {
        size_t n = f->len < 2 ? f->len : 2;
        if (ascii_codes && !check_ascii(j, "indicator", f->data, n, 0))
            rc = MARC_ERR_CHARSET;
        marc_buf_append(&j->out, f->data, n);
        if (rc == MARC_OK)
            rc = convert_subfields(j, f->data, f->len, fn, ascii_codes);
    }
    size_t len = j->out.len - mark;
    if (rc != MARC_OK || (len == f->len && memcmp(j->out.data + mark, f->data, len) == 0)) {
        j->out.len = mark;
        return rc;
    }
    if (j->nedits == j->cap) {
        j->cap = j->cap ? j->cap * 2 : 16;
        j->edits = xrealloc(j->edits, j->cap * sizeof *j->edits);
    }
    j->edits[j->nedits++] = (struct edit){i, mark, len};
    return MARC_OK;
}

/* Swap the converted bodies in: nothing can fail any more. */
static void
job_apply(struct job *j)
{
    for (size_t k = 0; k < j->nedits; k++) {
        const struct edit *e = &j->edits[k];
        struct marc_field *f = &j->r->fields[e->field];
        char *p = xmalloc(e->len + 16);
        memcpy(p, j->out.data + e->off, e->len);
        if (f->owned)
            free(f->data);
        f->data = p;
        f->len = (uint32_t)e->len;
        f->cap = (uint32_t)(e->len + 16);
        f->owned = 1;
    }
}

/* Fields that need no work are skipped before anything is allocated. */
typedef bool (*skip_fn)(const struct job *j, const struct marc_field *f);

/* Same bytes in MARC-8 and UTF-8: printable ASCII and subfield delimiters. */
static bool
field_plain(const struct job *j, const struct marc_field *f)
{
    for (size_t k = 0; k < f->len; k++) {
        unsigned char b = (unsigned char)f->data[k];
        if ((b < 0x20 && b != MARC_SUBFIELD_DELIM) || b > 0x7E)
            return false;
    }
    return true;
}

/*
 * Already in normal form.  The whole body can be checked at once: the
 * delimiters and codes between values are starters that no mark can combine
 * across, so a body that passes the quick check has values that all pass.
 */
static bool
field_normalized(const struct job *j, const struct marc_field *f)
{
    return marc_ascii_only(f->data, f->len) ||
           (marc_utf8_valid(f->data, f->len, NULL) && !needs_normalizing(j->norm, f->data, f->len));
}

/* Run fn over every field that skip does not pass; the record changes only
 * when every field converted. */
static int
convert_record(struct job *j, value_fn fn, bool ascii_codes, skip_fn skip)
{
    int rc = MARC_OK;
    for (size_t i = 0; i < j->r->nfields; i++) {
        if (skip(j, &j->r->fields[i]))
            continue;
        int e = convert_field(j, i, fn, ascii_codes);
        if (e != MARC_OK && rc == MARC_OK)
            rc = e;
        if (e != MARC_OK && !j->ctx->recover)
            break;
    }
    if (rc == MARC_OK)
        job_apply(j);
    return rc;
}

/* Marked MARC-8, but well-formed UTF-8 with non-ASCII text and no escapes. */
static bool
mislabelled(const struct marc_record *r)
{
    bool high = false;
    for (size_t i = 0; i < r->nfields; i++) {
        const struct marc_field *f = &r->fields[i];
        if (memchr(f->data, ESC, f->len))
            return false;
        if (!marc_ascii_only(f->data, f->len)) {
            if (!marc_utf8_valid(f->data, f->len, NULL))
                return false;
            high = true;
        }
    }
    return high;
}

int
marc_charset_to_utf8(struct marc_record *r, struct marc_decode_ctx *ctx)
{
    if (marc_record_is_utf8(r))
        return MARC_OK;
    if (mislabelled(r)) {
        bool image =
            r->raw && r->raw_len > MARC_LEADER_LEN && r->raw[r->raw_len - 1] == MARC_RECORD_TERM;
        marc_codec_report(ctx, MARC_SEV_WARNING, MARC_ERR_CHARSET, "charset-mislabelled", "LDR", 0,
                          image ? 9 : -1, ctx->line,
                          "leader/09 says MARC-8 but the data is UTF-8 (no MARC-8 escape "
                          "sequences); relabelled as UTF-8 without conversion");
        r->leader[9] = 'a';
        return MARC_OK;
    }
    struct job j;
    job_init(&j, r, ctx);
    int rc = convert_record(&j, value_to_utf8, true, field_plain);
    if (rc == MARC_OK)
        r->leader[9] = 'a';
    job_free(&j);
    return rc;
}

int
marc_charset_to_marc8(struct marc_record *r, struct marc_decode_ctx *ctx)
{
    if (!marc_record_is_utf8(r))
        return MARC_OK;
    struct job j;
    job_init(&j, r, ctx);
    int rc = convert_record(&j, value_to_marc8, true, field_plain);
    if (rc == MARC_OK)
        r->leader[9] = ' ';
    job_free(&j);
    return rc;
}

int
marc_charset_normalize(struct marc_record *r, enum marc_normal_form nf, struct marc_decode_ctx *ctx)
{
    /* Normal forms are defined on Unicode text; MARC-8 records are left alone. */
    if (nf == MARC_NF_NONE || !marc_record_is_utf8(r))
        return MARC_OK;
    struct job j;
    job_init(&j, r, ctx);
    j.norm = normalizer(nf);
    int rc =
        j.norm ? convert_record(&j, value_normalize, false, field_normalized) : MARC_ERR_CHARSET;
    job_free(&j);
    return rc;
}
