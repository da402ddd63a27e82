/*
 * marcxml-write.c - MARCXML output (see marcxml.h).
 *
 * Writing does not touch libxml2: records are escaped with a byte table and
 * appended to the output buffer directly, which is many times faster than
 * building a tree.  MARCXML is UTF-8 and XML 1.0: a record holding bytes
 * that are not UTF-8, or characters XML 1.0 cannot carry (C0 controls but
 * tab, newline and carriage return; U+FFFE, U+FFFF), is refused with the
 * field and subfield named.
 */
#include "marcxml-int.h"

#include "marc-int.h"
#include "utf8.h"

#include <stdint.h>
#include <string.h>

const char *
marc_marcxml_header(void)
{
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<collection xmlns=\"" MARC_MARCXML_NS "\">\n";
}

const char *
marc_marcxml_trailer(void)
{
    return "</collection>\n";
}

/*
 * What each byte needs: copy, escape, refuse (XML 1.0 has no C0 controls
 * but tab, newline and carriage return), or a closer look (0xEF leads
 * U+FFFE and U+FFFF, which XML 1.0 excludes too).  Text and attribute values
 * differ only in the quote.
 */
enum { X_COPY = 0, X_ESC = 1, X_BAD = 2, X_EF = 3 };
#define C0_CLASSES                                                                                 \
    2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 2, 2, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2
static const uint8_t text_class[256] = {
    C0_CLASSES, ['&'] = X_ESC, ['<'] = X_ESC, ['>'] = X_ESC, [0xEF] = X_EF,
};
static const uint8_t attr_class[256] = {
    C0_CLASSES, ['"'] = X_ESC, ['&'] = X_ESC, ['<'] = X_ESC, ['>'] = X_ESC, [0xEF] = X_EF,
};

static const char *
entity(unsigned char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\t':
        return "&#9;";
    case '\n':
        return "&#10;";
    default:
        return "&#13;";
    }
}

/* Append s escaped; false with *bad (offset) when XML 1.0 cannot carry it. */
static bool
put_escaped(struct marc_buf *b, const char *s, size_t n, const uint8_t *cls, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && !cls[u[j]])
            j++;
        if (j > i)
            marc_buf_append(b, s + i, j - i);
        if (j == n)
            break;
        if (cls[u[j]] == X_ESC) {
            marc_buf_puts(b, entity(u[j]));
        } else if (cls[u[j]] == X_EF && !(j + 2 < n && u[j + 1] == 0xBF && u[j + 2] >= 0xBE)) {
            marc_buf_putc(b, (char)u[j]);
        } else {
            *bad = j;
            return false;
        }
        i = j + 1;
    }
    return true;
}

static int
bad_char(const struct marc_record *r, size_t i, char code, const char *v, size_t at,
         size_t field_at, struct marc_diag *err)
{
    uint32_t cp = (unsigned char)v[at];
    if (cp >= 0x80)
        marc_utf8_decode(v + at, 3, &cp);
    return marc_encode_error(err, MARC_ERR_CHARSET, r, i, code, "xml-char",
                             "U+%04X at byte %zu of the field cannot be written in XML 1.0", cp,
                             field_at);
}

static int
encode_field(const struct marc_record *r, size_t i, struct marc_buf *out, struct marc_diag *err)
{
    const struct marc_field *f = &r->fields[i];
    size_t bad;
    if (!marc_utf8_valid(f->data, f->len, &bad))
        return marc_encode_error(err, MARC_ERR_CHARSET, r, i, 0, "utf8-invalid",
                                 "invalid UTF-8 (byte \\x%02X at byte %zu of the field); MARCXML "
                                 "is always UTF-8",
                                 (unsigned char)f->data[bad], bad);
    char tag[4];
    memcpy(tag, f->tag, 4);
    if (f->control) {
        marc_buf_append(out, "    <controlfield tag=\"", 23);
        put_escaped(out, tag, 3, attr_class, &bad);
        marc_buf_append(out, "\">", 2);
        if (!put_escaped(out, f->data, f->len, text_class, &bad))
            return bad_char(r, i, 0, f->data, bad, bad, err);
        marc_buf_append(out, "</controlfield>\n", 16);
        return MARC_OK;
    }
    char ind[2] = {marc_field_ind1(f), marc_field_ind2(f)};
    marc_buf_append(out, "    <datafield tag=\"", 20);
    put_escaped(out, tag, 3, attr_class, &bad);
    marc_buf_append(out, "\" ind1=\"", 8);
    put_escaped(out, ind, 1, attr_class, &bad);
    marc_buf_append(out, "\" ind2=\"", 8);
    put_escaped(out, ind + 1, 1, attr_class, &bad);
    marc_buf_append(out, "\">\n", 3);
    size_t cursor = 0;
    struct marc_subfield sf;
    while (marc_field_next_subfield(f, &cursor, &sf)) {
        marc_buf_append(out, "      <subfield code=\"", 22);
        put_escaped(out, &sf.code, 1, attr_class, &bad);
        marc_buf_append(out, "\">", 2);
        if (!put_escaped(out, sf.value, sf.len, text_class, &bad))
            return bad_char(r, i, sf.code, sf.value, bad, (size_t)(sf.value - f->data) + bad, err);
        marc_buf_append(out, "</subfield>\n", 12);
    }
    marc_buf_append(out, "    </datafield>\n", 17);
    return MARC_OK;
}

int
marc_marcxml_encode(const struct marc_record *r, struct marc_buf *out, struct marc_diag *err)
{
    size_t mark = out->len, bad;
    marc_buf_append(out, "  <record>\n    <leader>", 23);
    if (!put_escaped(out, r->leader, MARC_LEADER_LEN, text_class, &bad)) {
        out->len = mark;
        return marc_encode_error(err, MARC_ERR_CHARSET, r, r->nfields, 0, "leader-byte",
                                 "leader/%02zu is \\x%02X, which XML 1.0 cannot carry", bad,
                                 (unsigned char)r->leader[bad]);
    }
    marc_buf_append(out, "</leader>\n", 10);
    for (size_t i = 0; i < r->nfields; i++) {
        int rc = encode_field(r, i, out, err);
        if (rc < 0) {
            out->len = mark;
            if (out->data)
                out->data[mark] = '\0';
            return rc;
        }
    }
    marc_buf_append(out, "  </record>\n", 12);
    return MARC_OK;
}
