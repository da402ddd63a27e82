/*
 * json.c - MARC-in-JSON framing, decoding and encoding (see json.h).
 *
 * A small JSON reader made for this one shape, not a general JSON library:
 * the framer only matches braces (minding strings and escapes), and the
 * decoder walks the record object once, unescaping values straight into the
 * record's backing store (an unescaped record is never longer than its JSON
 * text, so the store is reserved once).  Syntax errors stop the decode;
 * problems with the MARC content (a bad tag, a lone surrogate, a wrong type)
 * drop the field or subfield concerned and decoding goes on, so that lint
 * sees every problem.  Each report names the line (and the byte offset) in
 * the input and the field's tag and occurrence.
 *
 * The encoder writes compact objects with the keys in the order of the
 * proposal (leader, fields; ind1, ind2, subfields).
 */
#include "json.h"

#include "marc-int.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 64

/* ---- framing ---- */

static bool
frame_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '[' || c == ']' || c == ',';
}

/* Offset just past the object starting at buf[start] ('{'), or 0 if it does not end in avail. */
static size_t
match_object(const char *buf, size_t start, size_t avail)
{
    int depth = 0;
    size_t i = start;
    while (i < avail) {
        char c = buf[i++];
        if (c == '"') {
            for (;;) {
                if (i >= avail)
                    return 0;
                char d = buf[i++];
                if (d == '"')
                    break;
                i += d == '\\'; /* the escaped byte cannot end the string */
            }
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return i;
        }
    }
    return 0;
}

/* Are the n (< 3) bytes at u the start of a UTF-8 byte order mark? */
static bool
is_bom_prefix(const unsigned char *u, size_t n)
{
    static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
    return n < 3 && memcmp(u, bom, n) == 0;
}

int
marc_json_frame(const char *buf, size_t avail, bool eof, size_t *skip, size_t *len)
{
    const unsigned char *u = (const unsigned char *)buf;
    size_t i = 0;
    for (;;) {
        while (i < avail && frame_space(u[i]))
            i++;
        if (i + 3 <= avail && u[i] == 0xEF && u[i + 1] == 0xBB && u[i + 2] == 0xBF)
            i += 3; /* a byte order mark */
        else
            break;
    }
    *skip = i;
    *len = 0;
    if (i == avail)
        return 0;
    if (!eof && is_bom_prefix(u + i, avail - i))
        return 0; /* the rest of a byte order mark has not been read yet */
    if (buf[i] != '{')
        return -1;
    size_t end = match_object(buf, i, avail);
    if (end) {
        *len = end - i;
        return 1;
    }
    if (!eof)
        return 0;
    *len = avail - i; /* unterminated: the decoder says where */
    return 1;
}

/* ---- decoding ---- */

struct jp {
    const char *s;
    size_t len, pos;
    long line; /* absolute line of s[pos] */
    struct marc_decode_ctx *ctx;
    struct marc_record *r;
    char *raw; /* the record's backing store, written at w */
    size_t w;
    bool stop; /* a syntax error: nothing more can be read */
    char tag[4];
};

enum str_status { S_OK, S_BAD, S_SYNTAX };

static void jreport(struct jp *p, enum marc_severity sev, enum marc_err kind, const char *code,
                    char subfield, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Report a problem at the cursor, in the field being read (if any). */
static void
jreport(struct jp *p, enum marc_severity sev, enum marc_err kind, const char *code, char subfield,
        const char *fmt, ...)
{
    struct marc_where w = {
        .subfield = subfield, .position = -1, .at = (long long)p->pos, .line = p->line};
    if (p->tag[0]) {
        w.tag = p->tag;
        w.occurrence = strcmp(p->tag, "LDR") == 0 ? 0 : marc_record_next_occurrence(p->r, p->tag);
    }
    va_list ap;
    va_start(ap, fmt);
    marc_codec_vreport_at(p->ctx, sev, kind, code, &w, fmt, ap);
    va_end(ap);
}

/* What is at the cursor, for a message. */
static const char *
found(const struct jp *p, char out[24])
{
    if (p->pos >= p->len)
        return "the end of the record";
    unsigned char c = (unsigned char)p->s[p->pos];
    char b[8];
    snprintf(out, 24, "%s%s", c > 0x20 && c < 0x7F ? "" : "byte ", marc_show_byte(c, b));
    return out;
}

static void
syntax(struct jp *p, const char *what)
{
    char b[24];
    if (!p->stop)
        jreport(p, MARC_SEV_ERROR, MARC_ERR_FORMAT, "json-syntax", 0,
                "JSON syntax: expected %s, found %s", what, found(p, b));
    p->stop = true;
}

static void
ws(struct jp *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c == '\n')
            p->line++;
        else if (c != ' ' && c != '\t' && c != '\r')
            return;
        p->pos++;
    }
}

/* Skip white space and consume c; false (reported) when something else is there. */
static bool
expect(struct jp *p, char c, const char *what)
{
    ws(p);
    if (p->pos < p->len && p->s[p->pos] == c) {
        p->pos++;
        return true;
    }
    syntax(p, what);
    return false;
}

/* The next value's first byte after white space, 0 at the end. */
static char
peek(struct jp *p)
{
    ws(p);
    return p->pos < p->len ? p->s[p->pos] : 0;
}

static int
hex4(const char *s)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* A \u escape at p->s[pos] ('\\'); appends to out.  Moves past it. */
static enum str_status
unicode_escape(struct jp *p, char *out, size_t *n, const char **why)
{
    if (p->pos + 6 > p->len || hex4(p->s + p->pos + 2) < 0)
        return S_SYNTAX;
    uint32_t cp = (uint32_t)hex4(p->s + p->pos + 2);
    p->pos += 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
        *why = "a lone low surrogate (\\uDC00-\\uDFFF)";
        return S_BAD;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        int lo = p->pos + 6 <= p->len && p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u'
                     ? hex4(p->s + p->pos + 2)
                     : -1;
        if (lo < 0xDC00 || lo > 0xDFFF) {
            *why = "a high surrogate (\\uD800-\\uDBFF) not followed by a low one";
            return S_BAD;
        }
        p->pos += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
    }
    if (cp == 0 || (cp >= 0x1D && cp <= 0x1F)) {
        *why = cp ? "an ISO 2709 separator (\\u001D-\\u001F)" : "a NUL character (\\u0000)";
        return S_BAD;
    }
    *n += (size_t)marc_utf8_encode(cp, out + *n);
    return S_OK;
}

static char
short_escape(char c)
{
    switch (c) {
    case '"':
        return '"';
    case '\\':
        return '\\';
    case '/':
        return '/';
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return 0;
    }
}

/*
 * Decode the string at the cursor (its opening quote) into out, which has
 * room for the string's length in the input.  S_BAD: a content problem, with
 * *why set, the string consumed; S_SYNTAX: reported, decoding must stop.
 */
static enum str_status
string(struct jp *p, char *out, size_t *n, const char **why)
{
    enum str_status st = S_OK;
    *n = 0;
    if (!expect(p, '"', "a string"))
        return S_SYNTAX;
    for (;;) {
        size_t start = p->pos;
        while (p->pos < p->len) {
            unsigned char c = (unsigned char)p->s[p->pos];
            if (c == '"' || c == '\\' || c < 0x20)
                break;
            p->pos++;
        }
        size_t run = p->pos - start, bad;
        if (run && !marc_utf8_valid(p->s + start, run, &bad) && st == S_OK) {
            *why = "invalid UTF-8";
            st = S_BAD;
        }
        memcpy(out + *n, p->s + start, run);
        *n += run;
        if (p->pos >= p->len) {
            syntax(p, "the end of the string ('\"')");
            return S_SYNTAX;
        }
        char c = p->s[p->pos];
        if (c == '"') {
            p->pos++;
            return st;
        }
        if (c != '\\') { /* a raw control character: JSON wants it escaped */
            p->line += c == '\n';
            p->pos++;
            if (st == S_OK) {
                *why = "a control character that JSON requires to be escaped";
                st = S_BAD;
            }
            continue;
        }
        if (p->pos + 1 < p->len && p->s[p->pos + 1] == 'u') {
            const char *w = NULL;
            enum str_status u = unicode_escape(p, out, n, &w);
            if (u == S_SYNTAX) {
                syntax(p, "four hexadecimal digits after \\u");
                return S_SYNTAX;
            }
            if (u == S_BAD && st == S_OK) {
                *why = w;
                st = S_BAD;
            }
            continue;
        }
        char e = p->pos + 1 < p->len ? short_escape(p->s[p->pos + 1]) : 0;
        if (!e) {
            p->pos++;
            syntax(p, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            return S_SYNTAX;
        }
        out[(*n)++] = e;
        p->pos += 2;
    }
}

/* Skip any JSON value (an unknown key's, or one of the wrong type). */
static bool
skip_value(struct jp *p, int depth)
{
    char c = peek(p);
    if (depth > MAX_DEPTH) {
        syntax(p, "less deeply nested values");
        return false;
    }
    if (c == '"') {
        char *scratch = p->raw + p->w; /* room for anything in the record */
        size_t n;
        const char *why;
        return string(p, scratch, &n, &why) != S_SYNTAX;
    }
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        p->pos++;
        if (peek(p) == close) {
            p->pos++;
            return true;
        }
        for (;;) {
            if (c == '{') {
                if (peek(p) != '"') {
                    syntax(p, "a key (a string)");
                    return false;
                }
                if (!skip_value(p, depth + 1) || !expect(p, ':', "':'"))
                    return false;
            }
            if (!skip_value(p, depth + 1))
                return false;
            char d = peek(p);
            p->pos += d == ',' || d == close;
            if (d == close)
                return true;
            if (d != ',') {
                syntax(p, c == '{' ? "',' or '}'" : "',' or ']'");
                return false;
            }
        }
    }
    size_t start = p->pos;
    while (p->pos < p->len && p->s[p->pos] && strchr("+-.0123456789eEtruefalsn", p->s[p->pos]))
        p->pos++;
    if (p->pos == start) {
        syntax(p, "a value");
        return false;
    }
    return true;
}

static const char *
type_name(char c)
{
    switch (c) {
    case '"':
        return "a string";
    case '{':
        return "an object";
    case '[':
        return "an array";
    case 't':
    case 'f':
        return "a boolean";
    case 'n':
        return "null";
    default:
        return "a number";
    }
}

/*
 * Walk the members of an object: for each key call fn (which must consume
 * the value).  Returns false on a syntax error.
 */
typedef bool (*member_fn)(struct jp *p, const char *key, size_t keylen, void *arg);

static bool
members(struct jp *p, member_fn fn, void *arg)
{
    if (!expect(p, '{', "'{'"))
        return false;
    if (peek(p) == '}') {
        p->pos++;
        return true;
    }
    for (;;) {
        char key[40];
        size_t n;
        const char *why;
        if (peek(p) != '"') {
            syntax(p, "a key (a string)");
            return false;
        }
        char *scratch = p->raw + p->w; /* room for any string of the record */
        if (string(p, scratch, &n, &why) == S_SYNTAX)
            return false;
        size_t keylen = n < sizeof key ? n : sizeof key - 1;
        memcpy(key, scratch, keylen);
        if (!expect(p, ':', "':' after a key") || !fn(p, key, keylen, arg))
            return false;
        if (p->stop)
            return false;
        char d = peek(p);
        if (d == '}') {
            p->pos++;
            return true;
        }
        if (!expect(p, ',', "',' or '}'"))
            return false;
    }
}

/* A value of the wrong type: report it and skip it. */
static bool
wrong_type(struct jp *p, const char *what, const char *want, char subfield)
{
    char c = peek(p);
    jreport(p, MARC_SEV_ERROR, MARC_ERR_FORMAT, "json-type", subfield, "%s must be %s, not %s",
            what, want, type_name(c));
    return skip_value(p, 0);
}

/* Reads one object at the cursor; false on a syntax error. */
typedef bool (*object_fn)(struct jp *p);

/*
 * Walk an array whose elements must be objects (`name` is the array's key
 * for messages, `each` and `shape` describe an element): fn reads each
 * object; anything else is reported and skipped.  False on a syntax error.
 */
static bool
objects(struct jp *p, const char *name, const char *each, const char *shape, object_fn fn)
{
    if (peek(p) != '[')
        return wrong_type(p, name, "an array", 0);
    p->pos++;
    if (peek(p) == ']') {
        p->pos++;
        return true;
    }
    for (;;) {
        if (peek(p) != '{') {
            if (!wrong_type(p, each, shape, 0))
                return false;
        } else if (!fn(p)) {
            return false;
        }
        char d = peek(p);
        p->pos += d == ',' || d == ']';
        if (d == ']')
            return true;
        if (d != ',') {
            syntax(p, "',' or ']'");
            return false;
        }
    }
}

static bool
key_is(const char *key, size_t n, const char *name)
{
    return n == strlen(name) && memcmp(key, name, n) == 0;
}

static bool
leader_member(struct jp *p)
{
    memcpy(p->tag, "LDR", 4);
    if (peek(p) != '"') {
        bool ok = wrong_type(p, "\"leader\"", "a string", 0);
        p->tag[0] = '\0';
        return ok;
    }
    char *out = p->raw + p->w;
    size_t n;
    const char *why = NULL;
    if (string(p, out, &n, &why) == S_SYNTAX)
        return false;
    bool ascii = why == NULL;
    for (size_t i = 0; ascii && i < n; i++)
        ascii = (unsigned char)out[i] >= 0x20 && (unsigned char)out[i] < 0x7F;
    if (n != MARC_LEADER_LEN || !ascii) {
        jreport(p, MARC_SEV_ERROR, MARC_ERR_FORMAT, "leader-length", 0,
                "leader must be 24 printable ASCII characters, found %zu bytes \"%.*s\"%s", n,
                (int)(n > 40 ? 40 : n), out, n < 24 ? "; padded with spaces" : "");
    }
    for (size_t i = 0; i < MARC_LEADER_LEN; i++) {
        unsigned char c = i < n ? (unsigned char)out[i] : ' ';
        p->r->leader[i] = c >= 0x20 && c < 0x7F ? (char)c : ' ';
    }
    p->tag[0] = '\0';
    return true;
}

/* A value string into the store at w; false when it must be dropped. */
static bool
value(struct jp *p, char code, bool *syntax_err)
{
    size_t n;
    const char *why = NULL;
    enum str_status st = string(p, p->raw + p->w, &n, &why);
    *syntax_err = st == S_SYNTAX;
    if (st == S_BAD)
        jreport(p, MARC_SEV_ERROR,
                st == S_BAD && strcmp(why, "invalid UTF-8") == 0 ? MARC_ERR_CHARSET
                                                                 : MARC_ERR_FORMAT,
                "json-value", code, "value holds %s; %s dropped", why,
                code ? "the subfield is" : "the field is");
    if (st != S_OK)
        return false;
    p->w += n;
    return true;
}

struct datafield {
    size_t start;
    bool ind[2];
    bool subfields;
};

static bool
subfield_member(struct jp *p, const char *key, size_t n, void *arg)
{
    char code = n == 1 ? key[0] : 0;
    if (!marc_subfield_code_ok(code)) {
        jreport(p, MARC_SEV_ERROR, MARC_ERR_FORMAT, "code-invalid", 0,
                "subfield code \"%.*s\" is not one printable ASCII character other than a space; "
                "the subfield is dropped",
                (int)n, key);
        return skip_value(p, 0);
    }
    if (peek(p) != '"')
        return wrong_type(p, "a subfield's value", "a string", code);
    size_t mark = p->w;
    p->raw[p->w++] = MARC_SUBFIELD_DELIM;
    p->raw[p->w++] = code;
    bool err;
    if (!value(p, code, &err))
        p->w = mark;
    return !err;
}

static bool
subfield_object(struct jp *p)
{
    return members(p, subfield_member, NULL);
}

static bool
subfields(struct jp *p)
{
    return objects(p, "\"subfields\"", "each subfield", "an object {\"code\": \"value\"}",
                   subfield_object);
}

static bool
indicator(struct jp *p, int which, struct datafield *df)
{
    const char *name = which ? "\"ind2\"" : "\"ind1\"";
    if (peek(p) != '"')
        return wrong_type(p, name, "a string", 0);
    char *out = p->raw + p->w; /* scratch: beyond everything written */
    size_t n;
    const char *why = NULL;
    if (string(p, out, &n, &why) == S_SYNTAX)
        return false;
    df->ind[which] = true;
    char c = n == 1 && (unsigned char)out[0] >= 0x20 && (unsigned char)out[0] < 0x7F ? out[0] : 0;
    if (!c)
        jreport(p, n == 0 ? MARC_SEV_WARNING : MARC_SEV_ERROR, MARC_ERR_FORMAT, "indicator-invalid",
                0, "%s is \"%.*s\", not one printable ASCII character; read as a blank", name,
                (int)(n > 20 ? 20 : n), out);
    p->raw[df->start + (size_t)which] = c ? c : ' ';
    return true;
}

static bool
datafield_member(struct jp *p, const char *key, size_t n, void *arg)
{
    struct datafield *df = arg;
    if (key_is(key, n, "ind1") || key_is(key, n, "ind2"))
        return indicator(p, key[3] - '1', df);
    if (key_is(key, n, "subfields")) {
        if (df->subfields)
            jreport(p, MARC_SEV_WARNING, MARC_ERR_FORMAT, "json-duplicate-key", 0,
                    "a second \"subfields\" key; its subfields are added");
        df->subfields = true;
        return subfields(p);
    }
    jreport(p, MARC_SEV_WARNING, MARC_ERR_FORMAT, "json-unknown-key", 0,
            "unknown key \"%.*s\" in a data field; ignored", (int)n, key);
    return skip_value(p, 0);
}

static bool
datafield(struct jp *p)
{
    struct datafield df = {.start = p->w};
    p->raw[p->w++] = ' ';
    p->raw[p->w++] = ' ';
    if (!members(p, datafield_member, &df))
        return false;
    for (int i = 0; i < 2; i++)
        if (!df.ind[i])
            jreport(p, MARC_SEV_WARNING, MARC_ERR_FORMAT, "indicator-missing", 0,
                    "data field has no \"ind%d\"; read as a blank", i + 1);
    if (!df.subfields)
        jreport(p, MARC_SEV_WARNING, MARC_ERR_FORMAT, "json-no-subfields", 0,
                "data field has no \"subfields\"");
    marc_record_push_borrowed(p->r, p->tag, false, p->raw + df.start, p->w - df.start);
    return true;
}

static bool
field_member(struct jp *p, const char *key, size_t n, void *arg)
{
    int *count = arg;
    if (++*count == 2)
        jreport(p, MARC_SEV_WARNING, MARC_ERR_FORMAT, "json-field-keys", 0,
                "a field object holds more than one tag; each is read as a field");
    char tag[4] = {0};
    if (n == 3)
        memcpy(tag, key, 3);
    if (!marc_tag_is_valid(tag)) {
        jreport(p, MARC_SEV_ERROR, MARC_ERR_FORMAT, "tag-invalid", 0,
                "tag \"%.*s\" is %s; the field is dropped", (int)n, key,
                n == 3 && marc_tag_is_leader(tag) ? "the leader's name, which no field may have"
                                                  : "not three ASCII letters or digits");
        return skip_value(p, 0);
    }
    memcpy(p->tag, tag, 4);
    bool numeric = marc_tag_is_numeric(tag);
    char c = peek(p);
    bool ok = true;
    if (c == '"' && (!numeric || marc_tag_is_control(tag))) {
        size_t start = p->w;
        bool err;
        if (value(p, 0, &err))
            marc_record_push_borrowed(p->r, tag, true, p->raw + start, p->w - start);
        ok = !err;
    } else if (c == '{') {
        /* 00X tags too: records in other MARC formats (danMARC) give 001
         * indicators and subfields, and the encoder writes them so. */
        ok = datafield(p);
    } else {
        ok = wrong_type(p, "the field's value",
                        numeric && !marc_tag_is_control(tag)
                            ? "an object {\"ind1\", \"ind2\", \"subfields\"}"
                            : "a string or an object",
                        0);
    }
    p->tag[0] = '\0';
    return ok;
}

/* One field object: normally a single "TAG": value member. */
static bool
field_object(struct jp *p)
{
    int count = 0;
    if (!members(p, field_member, &count))
        return false;
    if (count == 0)
        jreport(p, MARC_SEV_ERROR, MARC_ERR_FORMAT, "tag-missing", 0,
                "an empty field object {} has no tag");
    return true;
}

static bool
fields(struct jp *p)
{
    return objects(p, "\"fields\"", "each field", "an object {\"TAG\": value}", field_object);
}

struct top {
    bool leader, fields;
};

static bool
record_member(struct jp *p, const char *key, size_t n, void *arg)
{
    struct top *t = arg;
    if (key_is(key, n, "leader")) {
        t->leader = true;
        return leader_member(p);
    }
    if (key_is(key, n, "fields")) {
        if (t->fields)
            jreport(p, MARC_SEV_WARNING, MARC_ERR_FORMAT, "json-duplicate-key", 0,
                    "a second \"fields\" key; its fields are added");
        t->fields = true;
        return fields(p);
    }
    jreport(p, MARC_SEV_WARNING, MARC_ERR_FORMAT, "json-unknown-key", 0,
            "unknown key \"%.*s\" in a record; ignored", (int)n, key);
    return skip_value(p, 0);
}

int
marc_json_decode(struct marc_record *r, const char *text, size_t len, struct marc_decode_ctx *ctx)
{
    marc_record_clear(r);
    struct jp p = {
        .s = text, .len = len, .line = ctx->line > 0 ? ctx->line : 1, .ctx = ctx, .r = r};
    /* Unescaped, a record is never longer than its JSON text. */
    p.raw = marc_record_raw_reserve(r, len + 8);
    struct top t = {false, false};
    if (!members(&p, record_member, &t))
        return marc_codec_result(ctx);
    if (peek(&p)) {
        syntax(&p, "the end of the record after its '}'");
        return marc_codec_result(ctx);
    }
    if (!t.leader)
        jreport(&p, MARC_SEV_ERROR, MARC_ERR_FORMAT, "leader-missing", 0,
                "the record has no \"leader\"");
    if (!t.fields)
        jreport(&p, MARC_SEV_WARNING, MARC_ERR_FORMAT, "json-no-fields", 0,
                "the record has no \"fields\"");
    return marc_codec_result(ctx);
}

/* ---- encoding ---- */

/* Bytes a JSON string cannot hold as they are: the quote, the backslash, C0. */
static const uint8_t json_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,         1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ['"'] = 1, ['\\'] = 1,
};

static void
put_string(struct marc_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    marc_buf_putc(b, '"');
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && !json_escape[u[j]])
            j++;
        if (j > i)
            marc_buf_append(b, s + i, j - i);
        if (j == n)
            break;
        char esc[7] = {'\\', 0};
        switch (u[j]) {
        case '"':
        case '\\':
            esc[1] = (char)u[j];
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\t':
            esc[1] = 't';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[u[j] >> 4];
            esc[5] = hex[u[j] & 15];
            break;
        }
        marc_buf_puts(b, esc);
        i = j + 1;
    }
    marc_buf_putc(b, '"');
}

static void
put_data_field(struct marc_buf *out, const struct marc_field *f)
{
    char ind[2] = {marc_field_ind1(f), marc_field_ind2(f)};
    marc_buf_puts(out, ":{\"ind1\":");
    put_string(out, ind, 1);
    marc_buf_puts(out, ",\"ind2\":");
    put_string(out, ind + 1, 1);
    marc_buf_puts(out, ",\"subfields\":[");
    size_t cursor = 0;
    struct marc_subfield sf;
    for (bool first = true; marc_field_next_subfield(f, &cursor, &sf); first = false) {
        marc_buf_append(out, first ? "{" : ",{", first ? 1 : 2);
        put_string(out, &sf.code, 1);
        marc_buf_putc(out, ':');
        put_string(out, sf.value, sf.len);
        marc_buf_putc(out, '}');
    }
    marc_buf_puts(out, "]}");
}

int
marc_json_encode(const struct marc_record *r, struct marc_buf *out, struct marc_diag *err)
{
    for (size_t i = 0; i < r->nfields; i++) {
        const struct marc_field *f = &r->fields[i];
        size_t bad;
        if (!marc_utf8_valid(f->data, f->len, &bad))
            return marc_encode_error(err, MARC_ERR_CHARSET, r, i, 0, "utf8-invalid",
                                     "invalid UTF-8 (byte \\x%02X at byte %zu of the field); "
                                     "MARC-in-JSON is always UTF-8",
                                     (unsigned char)f->data[bad], bad);
    }
    marc_buf_puts(out, "{\"leader\":");
    put_string(out, r->leader, MARC_LEADER_LEN);
    marc_buf_puts(out, ",\"fields\":[");
    for (size_t i = 0; i < r->nfields; i++) {
        const struct marc_field *f = &r->fields[i];
        marc_buf_append(out, i ? ",{" : "{", i ? 2 : 1);
        put_string(out, f->tag, 3);
        if (f->control) {
            marc_buf_putc(out, ':');
            put_string(out, f->data, f->len);
        } else {
            put_data_field(out, f);
        }
        marc_buf_putc(out, '}');
    }
    marc_buf_puts(out, "]}");
    return MARC_OK;
}
