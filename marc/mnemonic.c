/*
 * mnemonic.c - the LC MARCMaker character mnemonic table (see mnemonic.h).
 *
 * The names and MARC-8 values are those of LC's "Text-to-MARC 21 character
 * conversion table" for MARCMaker (version 2.5, October 2003), which MarcEdit
 * and MARC::File::MARCMaker also read, with these deliberate departures:
 *   - {Ecy} is E7 45 (E with dot above, the ALA-LC romanisation of the
 *     reversed E); LC's table has E7 44, a typo next to {ecy} E7 65.
 *   - {szlig} is C7 and {euro} (not in LC's table) C8: MARC-8 gained the
 *     eszett and the euro sign in 2004, after the table was written (it gave
 *     "ss" for the eszett).
 *
 * The Unicode column is the MARC-8 value converted with LC's MARC-8 to
 * Unicode mapping (combining marks after their base, then NFC), so a record
 * read from a MARC-8 .mrk and converted equals the same text read as UTF-8.
 * The Cyrillic names ({zhcy}, {IEcy}, ...) are therefore romanisations, as
 * in LC's table, which made them for the ALA-LC romanisation tables.  Where
 * LC's MARC-8 value is only an ASCII stand-in for a character MARC-8 lacks
 * ({cent} "c", {mdash} "--", {sect} "|", {frac12} "1/2", {sup1} written
 * with escapes), the Unicode column holds the character itself.
 *
 * This file knows nothing of the .mrk syntax around the names.
 */
#include "mnemonic.h"

#include <string.h>

/* Sorted by name in byte order (uppercase before lowercase): looked up by
 * binary search; a unit test checks the order. */
/* clang-format off */
static const struct marc_mnemonic table[] = {
    {"AElig", "\xA5", "\xC3\x86"}, /* Æ */
    {"Aacute", "\xE2" "A", "\xC3\x81"}, /* Á */
    {"Abreve", "\xE6" "A", "\xC4\x82"}, /* Ă */
    {"Acirc", "\xE3" "A", "\xC3\x82"}, /* Â */
    {"Acy", "A", "A"}, /* A */
    {"Agrave", "\xE1" "A", "\xC3\x80"}, /* À */
    {"Aogon", "\xF1" "A", "\xC4\x84"}, /* Ą */
    {"Aring", "\xEA" "A", "\xC3\x85"}, /* Å */
    {"Atilde", "\xE4" "A", "\xC3\x83"}, /* Ã */
    {"Auml", "\xE8" "A", "\xC3\x84"}, /* Ä */
    {"Bcy", "B", "B"}, /* B */
    {"CHcy", "Ch", "Ch"}, /* Ch */
    {"Cacute", "\xE2" "C", "\xC4\x86"}, /* Ć */
    {"Ccaron", "\xE9" "C", "\xC4\x8C"}, /* Č */
    {"Ccedil", "\xF0" "C", "\xC3\x87"}, /* Ç */
    {"DJEcy", "\xA3", "\xC4\x90"}, /* Đ */
    {"DZEcy", "Dz", "Dz"}, /* Dz */
    {"DZHEcy", "D\xE9z", "D\xC5\xBE"}, /* Dž */
    {"Dagger", "|", "\xE2\x80\xA1"}, /* ‡ */
    {"Dcaron", "\xE9" "D", "\xC4\x8E"}, /* Ď */
    {"Dcy", "D", "D"}, /* D */
    {"Dstrok", "\xA3", "\xC4\x90"}, /* Đ */
    {"ETH", "\xA3", "\xC3\x90"}, /* Ð */
    {"Eacute", "\xE2" "E", "\xC3\x89"}, /* É */
    {"Ecaron", "\xE9" "E", "\xC4\x9A"}, /* Ě */
    {"Ecirc", "\xE3" "E", "\xC3\x8A"}, /* Ê */
    {"Ecy", "\xE7" "E", "\xC4\x96"}, /* Ė */
    {"Egrave", "\xE1" "E", "\xC3\x88"}, /* È */
    {"Ehookr", "\xF1" "E", "\xC4\x98"}, /* Ę */
    {"Eogon", "\xF1" "E", "\xC4\x98"}, /* Ę */
    {"Euml", "\xE8" "E", "\xC3\x8B"}, /* Ë */
    {"Fcy", "F", "F"}, /* F */
    {"GEcy", "G", "G"}, /* G */
    {"GHcy", "G", "G"}, /* G */
    {"GJEcy", "\xE2G", "\xC7\xB4"}, /* Ǵ */
    {"Gcy", "G", "G"}, /* G */
    {"HARDcy", "\xB7", "\xCA\xBA"}, /* ʺ */
    {"Hcy", "H", "H"}, /* H */
    {"IEcy", "\xEBI\xEC" "E", "I\xEF\xB8\xA0" "E\xEF\xB8\xA1"}, /* U+0049 U+FE20 U+0045 U+FE21 */
    {"IJlig", "IJ", "IJ"}, /* IJ */
    {"IOcy", "\xEBI\xECO", "I\xEF\xB8\xA0O\xEF\xB8\xA1"}, /* U+0049 U+FE20 U+004F U+FE21 */
    {"IYcy", "Y", "Y"}, /* Y */
    {"Iacute", "\xE2I", "\xC3\x8D"}, /* Í */
    {"Icaron", "\xE9I", "\xC7\x8F"}, /* Ǐ */
    {"Icirc", "\xE3I", "\xC3\x8E"}, /* Î */
    {"Icy", "I", "I"}, /* I */
    {"Idot", "\xE7I", "\xC4\xB0"}, /* İ */
    {"Igrave", "\xE1I", "\xC3\x8C"}, /* Ì */
    {"Iuml", "\xE8I", "\xC3\x8F"}, /* Ï */
    {"Iumlcy", "\xE8I", "\xC3\x8F"}, /* Ï */
    {"JEcy", "J", "J"}, /* J */
    {"JIcy", "\xE8I", "\xC3\x8F"}, /* Ï */
    {"Jcy", "\xE6I", "\xC4\xAC"}, /* Ĭ */
    {"KHcy", "Kh", "Kh"}, /* Kh */
    {"KJEcy", "\xE2K", "\xE1\xB8\xB0"}, /* Ḱ */
    {"Kcy", "K", "K"}, /* K */
    {"LJEcy", "Lj", "Lj"}, /* Lj */
    {"Lacute", "\xE2L", "\xC4\xB9"}, /* Ĺ */
    {"Lcy", "L", "L"}, /* L */
    {"Lstrok", "\xA1", "\xC5\x81"}, /* Ł */
    {"Mcy", "M", "M"}, /* M */
    {"NJEcy", "Nj", "Nj"}, /* Nj */
    {"Nacute", "\xE2N", "\xC5\x83"}, /* Ń */
    {"Ncaron", "\xE9N", "\xC5\x87"}, /* Ň */
    {"Ncy", "N", "N"}, /* N */
    {"No", "No.", "No."}, /* No. */
    {"Ntilde", "\xE4N", "\xC3\x91"}, /* Ñ */
    {"OElig", "\xA6", "\xC5\x92"}, /* Œ */
    {"Oacute", "\xE2O", "\xC3\x93"}, /* Ó */
    {"Ocirc", "\xE3O", "\xC3\x94"}, /* Ô */
    {"Ocy", "O", "O"}, /* O */
    {"Odblac", "\xEEO", "\xC5\x90"}, /* Ő */
    {"Ograve", "\xE1O", "\xC3\x92"}, /* Ò */
    {"Ohorn", "\xAC", "\xC6\xA0"}, /* Ơ */
    {"Ostrok", "\xA2", "\xC3\x98"}, /* Ø */
    {"Otilde", "\xE4O", "\xC3\x95"}, /* Õ */
    {"Ouml", "\xE8O", "\xC3\x96"}, /* Ö */
    {"Pcy", "P", "P"}, /* P */
    {"Racute", "\xE2R", "\xC5\x94"}, /* Ŕ */
    {"Rcaron", "\xE9R", "\xC5\x98"}, /* Ř */
    {"Rcy", "R", "R"}, /* R */
    {"SHCHcy", "Shch", "Shch"}, /* Shch */
    {"SHcy", "Sh", "Sh"}, /* Sh */
    {"SOFTcy", "\xA7", "\xCA\xB9"}, /* ʹ */
    {"Sacute", "\xE2S", "\xC5\x9A"}, /* Ś */
    {"Scommab", "\xF7S", "\xC8\x98"}, /* Ș */
    {"Scy", "S", "S"}, /* S */
    {"THORN", "\xA4", "\xC3\x9E"}, /* Þ */
    {"TSHEcy", "\xE2" "C", "\xC4\x86"}, /* Ć */
    {"TScy", "\xEBT\xECS", "T\xEF\xB8\xA0S\xEF\xB8\xA1"}, /* U+0054 U+FE20 U+0053 U+FE21 */
    {"Tcaron", "\xE9T", "\xC5\xA4"}, /* Ť */
    {"Tcommab", "\xF7T", "\xC8\x9A"}, /* Ț */
    {"Tcy", "T", "T"}, /* T */
    {"Uacute", "\xE2U", "\xC3\x9A"}, /* Ú */
    {"Ubrevecy", "\xE6U", "\xC5\xAC"}, /* Ŭ */
    {"Ucirc", "\xE3U", "\xC3\x9B"}, /* Û */
    {"Ucy", "U", "U"}, /* U */
    {"Udblac", "\xEEU", "\xC5\xB0"}, /* Ű */
    {"Ugrave", "\xE1U", "\xC3\x99"}, /* Ù */
    {"Uhorn", "\xAD", "\xC6\xAF"}, /* Ư */
    {"Uring", "\xEAU", "\xC5\xAE"}, /* Ů */
    {"Uuml", "\xE8U", "\xC3\x9C"}, /* Ü */
    {"Vcy", "V", "V"}, /* V */
    {"YAcy", "\xEBI\xEC" "A", "I\xEF\xB8\xA0" "A\xEF\xB8\xA1"}, /* U+0049 U+FE20 U+0041 U+FE21 */
    {"YEcy", "E", "E"}, /* E */
    {"YIcy", "I", "I"}, /* I */
    {"YUcy", "\xEBI\xECU", "I\xEF\xB8\xA0U\xEF\xB8\xA1"}, /* U+0049 U+FE20 U+0055 U+FE21 */
    {"Yacute", "\xE2Y", "\xC3\x9D"}, /* Ý */
    {"Ycy", "Y", "Y"}, /* Y */
    {"ZHcy", "Zh", "Zh"}, /* Zh */
    {"ZHuacy", "\xEBZ\xECh", "Z\xEF\xB8\xA0h\xEF\xB8\xA1"}, /* U+005A U+FE20 U+0068 U+FE21 */
    {"Zacute", "\xE2Z", "\xC5\xB9"}, /* Ź */
    {"Zcy", "Z", "Z"}, /* Z */
    {"Zdot", "\xE7Z", "\xC5\xBB"}, /* Ż */
    {"aacute", "\xE2" "a", "\xC3\xA1"}, /* á */
    {"abreve", "\xE6" "a", "\xC4\x83"}, /* ă */
    {"acirc", "\xE3" "a", "\xC3\xA2"}, /* â */
    {"acute", "\xE2", "\xCC\x81"}, /* U+0301 */
    {"acy", "a", "a"}, /* a */
    {"aelig", "\xB5", "\xC3\xA6"}, /* æ */
    {"agr", "a", "\xCE\xB1"}, /* α */
    {"agrave", "\xE1" "a", "\xC3\xA0"}, /* à */
    {"alif", "\xAE", "\xCA\xBC"}, /* ʼ */
    {"amp", "&", "&"}, /* & */
    {"aogon", "\xF1" "a", "\xC4\x85"}, /* ą */
    {"apos", "'", "'"}, /* ' */
    {"arab", "(3", "(3"}, /* (3 */
    {"aring", "\xEA" "a", "\xC3\xA5"}, /* å */
    {"ast", "*", "*"}, /* * */
    {"asuper", "a", "a"}, /* a */
    {"atilde", "\xE4" "a", "\xC3\xA3"}, /* ã */
    {"auml", "\xE8" "a", "\xC3\xA4"}, /* ä */
    {"ayn", "\xB0", "\xCA\xBB"}, /* ʻ */
    {"bcy", "b", "b"}, /* b */
    {"bgr", "b", "\xCE\xB2"}, /* β */
    {"breve", "\xE6", "\xCC\x86"}, /* U+0306 */
    {"breveb", "\xF9", "\xCC\xAE"}, /* U+032E */
    {"brvbar", "|", "\xC2\xA6"}, /* ¦ */
    {"bsol", "\x5C", "\x5C"}, /* \ */
    {"bull", "*", "\xE2\x80\xA2"}, /* • */
    {"cacute", "\xE2" "c", "\xC4\x87"}, /* ć */
    {"candra", "\xEF", "\xCC\x90"}, /* U+0310 */
    {"caron", "\xE9", "\xCC\x8C"}, /* U+030C */
    {"ccaron", "\xE9" "c", "\xC4\x8D"}, /* č */
    {"ccedil", "\xF0" "c", "\xC3\xA7"}, /* ç */
    {"cedil", "\xF0", "\xCC\xA7"}, /* U+0327 */
    {"cent", "c", "\xC2\xA2"}, /* ¢ */
    {"chcy", "ch", "ch"}, /* ch */
    {"circ", "\xE3", "\xCC\x82"}, /* U+0302 */
    {"circb", "\xF4", "\xCC\xAD"}, /* U+032D */
    {"cjk", "$1", "$1"}, /* $1 */
    {"colon", ":", ":"}, /* : */
    {"comma", ",", ","}, /* , */
    {"commaa", "\xFE", "\xCC\x93"}, /* U+0313 */
    {"commab", "\xF7", "\xCC\xA6"}, /* U+0326 */
    {"commat", "@", "@"}, /* @ */
    {"copy", "\xC3", "\xC2\xA9"}, /* © */
    {"curren", "*", "\xC2\xA4"}, /* ¤ */
    {"cyril", "(N", "(N"}, /* (N */
    {"dagger", "|", "\xE2\x80\xA0"}, /* † */
    {"dblac", "\xEE", "\xCC\x8B"}, /* U+030B */
    {"dbldotb", "\xF3", "\xCC\xA4"}, /* U+0324 */
    {"dblunder", "\xF5", "\xCC\xB3"}, /* U+0333 */
    {"dcaron", "\xE9" "d", "\xC4\x8F"}, /* ď */
    {"dcy", "d", "d"}, /* d */
    {"deg", "\xC0", "\xC2\xB0"}, /* ° */
    {"diaer", "\xE8", "\xCC\x88"}, /* U+0308 */
    {"divide", "/", "\xC3\xB7"}, /* ÷ */
    {"djecy", "\xB3", "\xC4\x91"}, /* đ */
    {"dollar", "$", "$"}, /* $ */
    {"dot", "\xE7", "\xCC\x87"}, /* U+0307 */
    {"dotb", "\xF2", "\xCC\xA3"}, /* U+0323 */
    {"dstrok", "\xB3", "\xC4\x91"}, /* đ */
    {"dzecy", "dz", "dz"}, /* dz */
    {"dzhecy", "d\xE9z", "d\xC5\xBE"}, /* dž */
    {"eacute", "\xE2" "e", "\xC3\xA9"}, /* é */
    {"ecaron", "\xE9" "e", "\xC4\x9B"}, /* ě */
    {"ecirc", "\xE3" "e", "\xC3\xAA"}, /* ê */
    {"ecy", "\xE7" "e", "\xC4\x97"}, /* ė */
    {"egrave", "\xE1" "e", "\xC3\xA8"}, /* è */
    {"ehookr", "\xF1" "e", "\xC4\x99"}, /* ę */
    {"eogon", "\xF1" "e", "\xC4\x99"}, /* ę */
    {"equals", "=", "="}, /* = */
    {"esc", "\x1B", "\x1B"}, /* U+001B */
    {"eth", "\xBA", "\xC3\xB0"}, /* ð */
    {"euml", "\xE8" "e", "\xC3\xAB"}, /* ë */
    {"euro", "\xC8", "\xE2\x82\xAC"}, /* € */
    {"excl", "!", "!"}, /* ! */
    {"fcy", "f", "f"}, /* f */
    {"flat", "\xA9", "\xE2\x99\xAD"}, /* ♭ */
    {"fnof", "f", "\xC6\x92"}, /* ƒ */
    {"frac12", "1/2", "\xC2\xBD"}, /* ½ */
    {"frac14", "1/4", "\xC2\xBC"}, /* ¼ */
    {"frac34", "3/4", "\xC2\xBE"}, /* ¾ */
    {"gcy", "g", "g"}, /* g */
    {"gecy", "g", "g"}, /* g */
    {"ggr", "g", "\xCE\xB3"}, /* γ */
    {"ghcy", "g", "g"}, /* g */
    {"gjecy", "\xE2g", "\xC7\xB5"}, /* ǵ */
    {"grave", "\xE1", "\xCC\x80"}, /* U+0300 */
    {"greek", "g", "g"}, /* g */
    {"gs", "\x1D", "\x1D"}, /* U+001D */
    {"gt", ">", ">"}, /* > */
    {"hardcy", "\xB7", "\xCA\xBA"}, /* ʺ */
    {"hardsign", "\xB7", "\xCA\xBA"}, /* ʺ */
    {"hcy", "h", "h"}, /* h */
    {"hebrew", "(2", "(2"}, /* (2 */
    {"hellip", "...", "\xE2\x80\xA6"}, /* … */
    {"hooka", "\xE0", "\xCC\x89"}, /* U+0309 */
    {"hookl", "\xF7", "\xCC\xA6"}, /* U+0326 */
    {"hookr", "\xF1", "\xCC\xA8"}, /* U+0328 */
    {"hyphen", "-", "-"}, /* - */
    {"iacute", "\xE2i", "\xC3\xAD"}, /* í */
    {"icaron", "\xE9i", "\xC7\x90"}, /* ǐ */
    {"icirc", "\xE3i", "\xC3\xAE"}, /* î */
    {"icy", "i", "i"}, /* i */
    {"iecy", "\xEBi\xEC" "e", "i\xEF\xB8\xA0" "e\xEF\xB8\xA1"}, /* U+0069 U+FE20 U+0065 U+FE21 */
    {"iexcl", "\xC6", "\xC2\xA1"}, /* ¡ */
    {"igrave", "\xE1i", "\xC3\xAC"}, /* ì */
    {"ijlig", "ij", "ij"}, /* ij */
    {"inodot", "\xB8", "\xC4\xB1"}, /* ı */
    {"iocy", "\xEBi\xECo", "i\xEF\xB8\xA0o\xEF\xB8\xA1"}, /* U+0069 U+FE20 U+006F U+FE21 */
    {"iquest", "\xC5", "\xC2\xBF"}, /* ¿ */
    {"iuml", "\xE8i", "\xC3\xAF"}, /* ï */
    {"iumlcy", "\xE8i", "\xC3\xAF"}, /* ï */
    {"iycy", "y", "y"}, /* y */
    {"jcy", "\xE6i", "\xC4\xAD"}, /* ĭ */
    {"jecy", "j", "j"}, /* j */
    {"jicy", "\xE8i", "\xC3\xAF"}, /* ï */
    {"joiner", "\x8D", "\xE2\x80\x8D"}, /* U+200D */
    {"kcy", "k", "k"}, /* k */
    {"khcy", "kh", "kh"}, /* kh */
    {"kjecy", "\xE2k", "\xE1\xB8\xB1"}, /* ḱ */
    {"lacute", "\xE2l", "\xC4\xBA"}, /* ĺ */
    {"laquo", "\x22", "\xC2\xAB"}, /* « */
    {"latin", "(B", "(B"}, /* (B */
    {"lcub", "{", "{"}, /* { */
    {"lcy", "l", "l"}, /* l */
    {"ldbltil", "\xFA", "\xEF\xB8\xA2"}, /* U+FE22 */
    {"ldquo", "\x22", "\xE2\x80\x9C"}, /* “ */
    {"ljecy", "lj", "lj"}, /* lj */
    {"llig", "\xEB", "\xEF\xB8\xA0"}, /* U+FE20 */
    {"lpar", "(", "("}, /* ( */
    {"lsqb", "[", "["}, /* [ */
    {"lsquo", "'", "\xE2\x80\x98"}, /* ‘ */
    {"lsquor", "'", "\xE2\x80\x9A"}, /* ‚ */
    {"lstrok", "\xB1", "\xC5\x82"}, /* ł */
    {"lt", "<", "<"}, /* < */
    {"macr", "\xE5", "\xCC\x84"}, /* U+0304 */
    {"mcy", "m", "m"}, /* m */
    {"mdash", "--", "\xE2\x80\x94"}, /* — */
    {"middot", "\xA8", "\xC2\xB7"}, /* · */
    {"mlPrime", "\xB7", "\xCA\xBA"}, /* ʺ */
    {"mllhring", "\xB0", "\xCA\xBB"}, /* ʻ */
    {"mlprime", "\xA7", "\xCA\xB9"}, /* ʹ */
    {"mlrhring", "\xAE", "\xCA\xBC"}, /* ʼ */
    {"nacute", "\xE2n", "\xC5\x84"}, /* ń */
    {"ncaron", "\xE9n", "\xC5\x88"}, /* ň */
    {"ncy", "n", "n"}, /* n */
    {"ndash", "--", "\xE2\x80\x93"}, /* – */
    {"njecy", "nj", "nj"}, /* nj */
    {"nonjoin", "\x8E", "\xE2\x80\x8C"}, /* U+200C */
    {"ntilde", "\xE4n", "\xC3\xB1"}, /* ñ */
    {"num", "#", "#"}, /* # */
    {"oacute", "\xE2o", "\xC3\xB3"}, /* ó */
    {"ocirc", "\xE3o", "\xC3\xB4"}, /* ô */
    {"ocy", "o", "o"}, /* o */
    {"odblac", "\xEEo", "\xC5\x91"}, /* ő */
    {"oelig", "\xB6", "\xC5\x93"}, /* œ */
    {"ogon", "\xF1", "\xCC\xA8"}, /* U+0328 */
    {"ograve", "\xE1o", "\xC3\xB2"}, /* ò */
    {"ohorn", "\xBC", "\xC6\xA1"}, /* ơ */
    {"ordf", "a", "\xC2\xAA"}, /* ª */
    {"ordm", "o", "\xC2\xBA"}, /* º */
    {"ostrok", "\xB2", "\xC3\xB8"}, /* ø */
    {"osuper", "o", "o"}, /* o */
    {"otilde", "\xE4o", "\xC3\xB5"}, /* õ */
    {"ouml", "\xE8o", "\xC3\xB6"}, /* ö */
    {"para", "|", "\xC2\xB6"}, /* ¶ */
    {"pcy", "p", "p"}, /* p */
    {"percnt", "%", "%"}, /* % */
    {"period", ".", "."}, /* . */
    {"phono", "\xC2", "\xE2\x84\x97"}, /* ℗ */
    {"pipe", "|", "|"}, /* | */
    {"plus", "+", "+"}, /* + */
    {"plusmn", "\xAB", "\xC2\xB1"}, /* ± */
    {"pound", "\xB9", "\xC2\xA3"}, /* £ */
    {"quest", "\x3F", "\x3F"}, /* ? */
    {"quot", "\x22", "\x22"}, /* " */
    {"racute", "\xE2r", "\xC5\x95"}, /* ŕ */
    {"raquo", "\x22", "\xC2\xBB"}, /* » */
    {"rcaron", "\xE9r", "\xC5\x99"}, /* ř */
    {"rcedil", "\xF8", "\xCC\x9C"}, /* U+031C */
    {"rcommaa", "\xED", "\xCC\x95"}, /* U+0315 */
    {"rcub", "}", "}"}, /* } */
    {"rcy", "r", "r"}, /* r */
    {"rdbltil", "\xFB", "\xEF\xB8\xA3"}, /* U+FE23 */
    {"rdquofh", "\x22", "\xE2\x80\x9D"}, /* ” */
    {"rdquor", "\x22", "\xE2\x80\x9D"}, /* ” */
    {"reg", "\xAA", "\xC2\xAE"}, /* ® */
    {"ring", "\xEA", "\xCC\x8A"}, /* U+030A */
    {"ringb", "\xF4", "\xCC\xA5"}, /* U+0325 */
    {"rlig", "\xEC", "\xEF\xB8\xA1"}, /* U+FE21 */
    {"rpar", ")", ")"}, /* ) */
    {"rs", "\x1E", "\x1E"}, /* U+001E */
    {"rsqb", "]", "]"}, /* ] */
    {"rsquo", "'", "\xE2\x80\x99"}, /* ’ */
    {"rsquor", "'", "\xE2\x80\x99"}, /* ’ */
    {"sacute", "\xE2s", "\xC5\x9B"}, /* ś */
    {"scommab", "\xF7s", "\xC8\x99"}, /* ș */
    {"scriptl", "\xC1", "\xE2\x84\x93"}, /* ℓ */
    {"scy", "s", "s"}, /* s */
    {"sect", "|", "\xC2\xA7"}, /* § */
    {"semi", ";", ";"}, /* ; */
    {"sharp", "\xC4", "\xE2\x99\xAF"}, /* ♯ */
    {"shchcy", "shch", "shch"}, /* shch */
    {"shcy", "sh", "sh"}, /* sh */
    {"shy", "-", "\xC2\xAD"}, /* U+00AD */
    {"softcy", "\xA7", "\xCA\xB9"}, /* ʹ */
    {"softsign", "\xA7", "\xCA\xB9"}, /* ʹ */
    {"sol", "/", "/"}, /* / */
    {"space", " ", " "}, /*   */
    {"spcirc", "^", "^"}, /* ^ */
    {"spgrave", "`", "`"}, /* ` */
    {"sptilde", "~", "~"}, /* ~ */
    {"spundscr", "_", "_"}, /* _ */
    {"squf", "|", "|"}, /* | */
    {"sub", "b", "b"}, /* b */
    {"sup1", "\x1Bp1\x1Bs", "\xC2\xB9"}, /* ¹ */
    {"sup2", "\x1Bp2\x1Bs", "\xC2\xB2"}, /* ² */
    {"sup3", "\x1Bp3\x1Bs", "\xC2\xB3"}, /* ³ */
    {"super", "p", "p"}, /* p */
    {"szlig", "\xC7", "\xC3\x9F"}, /* ß */
    {"tcaron", "\xE9t", "\xC5\xA5"}, /* ť */
    {"tcommab", "\xF7t", "\xC8\x9B"}, /* ț */
    {"tcy", "t", "t"}, /* t */
    {"thorn", "\xB4", "\xC3\xBE"}, /* þ */
    {"tilde", "\xE4", "\xCC\x83"}, /* U+0303 */
    {"times", "x", "\xC3\x97"}, /* × */
    {"trade", "(Tm)", "\xE2\x84\xA2"}, /* ™ */
    {"tscy", "\xEBt\xECs", "t\xEF\xB8\xA0s\xEF\xB8\xA1"}, /* U+0074 U+FE20 U+0073 U+FE21 */
    {"tshecy", "\xE2" "c", "\xC4\x87"}, /* ć */
    {"uacute", "\xE2u", "\xC3\xBA"}, /* ú */
    {"ubrevecy", "\xE6u", "\xC5\xAD"}, /* ŭ */
    {"ucirc", "\xE3u", "\xC3\xBB"}, /* û */
    {"ucy", "u", "u"}, /* u */
    {"udblac", "\xEEu", "\xC5\xB1"}, /* ű */
    {"ugrave", "\xE1u", "\xC3\xB9"}, /* ù */
    {"uhorn", "\xBD", "\xC6\xB0"}, /* ư */
    {"uml", "\xE8", "\xCC\x88"}, /* U+0308 */
    {"under", "\xF6", "\xCC\xB2"}, /* U+0332 */
    {"uring", "\xEAu", "\xC5\xAF"}, /* ů */
    {"us", "\x1F", "\x1F"}, /* U+001F */
    {"uuml", "\xE8u", "\xC3\xBC"}, /* ü */
    {"vcy", "v", "v"}, /* v */
    {"verbar", "|", "|"}, /* | */
    {"vlineb", "\xF2", "\xCC\xA9"}, /* U+0329 */
    {"yacute", "\xE2y", "\xC3\xBD"}, /* ý */
    {"yacy", "\xEBi\xEC" "a", "i\xEF\xB8\xA0" "a\xEF\xB8\xA1"}, /* U+0069 U+FE20 U+0061 U+FE21 */
    {"ycy", "y", "y"}, /* y */
    {"yecy", "e", "e"}, /* e */
    {"yen", "Y", "\xC2\xA5"}, /* ¥ */
    {"yicy", "i", "i"}, /* i */
    {"yucy", "\xEBi\xECu", "i\xEF\xB8\xA0u\xEF\xB8\xA1"}, /* U+0069 U+FE20 U+0075 U+FE21 */
    {"zacute", "\xE2z", "\xC5\xBA"}, /* ź */
    {"zcy", "z", "z"}, /* z */
    {"zdot", "\xE7z", "\xC5\xBC"}, /* ż */
    {"zhcy", "zh", "zh"}, /* zh */
    {"zhuacy", "\xEBz\xECh", "z\xEF\xB8\xA0h\xEF\xB8\xA1"}, /* U+007A U+FE20 U+0068 U+FE21 */
};
/* clang-format on */

#define TABLE_LEN (sizeof table / sizeof table[0])

size_t
marc_mnemonic_count(void)
{
    return TABLE_LEN;
}

const struct marc_mnemonic *
marc_mnemonic_at(size_t i)
{
    return i < TABLE_LEN ? &table[i] : NULL;
}

/* Compare name[0..len) with a NUL-terminated table name, in byte order. */
static int
name_cmp(const char *name, size_t len, const char *key)
{
    size_t klen = strlen(key);
    int c = memcmp(name, key, len < klen ? len : klen);
    if (c)
        return c;
    return len < klen ? -1 : len > klen;
}

static const struct marc_mnemonic *
find(const char *name, size_t len)
{
    size_t lo = 0, hi = TABLE_LEN;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = name_cmp(name, len, table[mid].name);
        if (c == 0)
            return &table[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static int
hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static bool
is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int
marc_mnemonic_expand(const char *name, size_t len, bool utf8, char out[MARC_MNEMONIC_MAX])
{
    if (len == 1 && is_alnum(name[0])) {
        out[0] = name[0];
        return 1;
    }
    if (len == 2 && hex_digit(name[0]) >= 0 && hex_digit(name[1]) >= 0) {
        out[0] = (char)(hex_digit(name[0]) * 16 + hex_digit(name[1]));
        return 1;
    }
    if (len > MARC_MNEMONIC_NAME_MAX)
        return -1;
    const struct marc_mnemonic *m = find(name, len);
    if (!m)
        return -1;
    const char *text = utf8 ? m->utf8 : m->marc8;
    size_t n = strlen(text);
    memcpy(out, text, n);
    return (int)n;
}

/* MARC-8 bytes that have a name of their own, as MARCBreaker writes them.
 * Other bytes (the unassigned ones, and C7/C8 which older readers do not
 * know by name) are written as {XX}. */
static const char *const marc8_names[256] = {
    [0x1B] = "esc",      [0x8D] = "joiner",   [0x8E] = "nonjoin",  [0xA1] = "Lstrok",
    [0xA2] = "Ostrok",   [0xA3] = "Dstrok",   [0xA4] = "THORN",    [0xA5] = "AElig",
    [0xA6] = "OElig",    [0xA7] = "softsign", [0xA8] = "middot",   [0xA9] = "flat",
    [0xAA] = "reg",      [0xAB] = "plusmn",   [0xAC] = "Ohorn",    [0xAD] = "Uhorn",
    [0xAE] = "mlrhring", [0xB0] = "mllhring", [0xB1] = "lstrok",   [0xB2] = "ostrok",
    [0xB3] = "dstrok",   [0xB4] = "thorn",    [0xB5] = "aelig",    [0xB6] = "oelig",
    [0xB7] = "hardsign", [0xB8] = "inodot",   [0xB9] = "pound",    [0xBA] = "eth",
    [0xBC] = "ohorn",    [0xBD] = "uhorn",    [0xC0] = "deg",      [0xC1] = "scriptl",
    [0xC2] = "phono",    [0xC3] = "copy",     [0xC4] = "sharp",    [0xC5] = "iquest",
    [0xC6] = "iexcl",    [0xE0] = "hooka",    [0xE1] = "grave",    [0xE2] = "acute",
    [0xE3] = "circ",     [0xE4] = "tilde",    [0xE5] = "macr",     [0xE6] = "breve",
    [0xE7] = "dot",      [0xE8] = "uml",      [0xE9] = "caron",    [0xEA] = "ring",
    [0xEB] = "llig",     [0xEC] = "rlig",     [0xED] = "rcommaa",  [0xEE] = "dblac",
    [0xEF] = "candra",   [0xF0] = "cedil",    [0xF1] = "ogon",     [0xF2] = "dotb",
    [0xF3] = "dbldotb",  [0xF4] = "ringb",    [0xF5] = "dblunder", [0xF6] = "under",
    [0xF7] = "commab",   [0xF8] = "rcedil",   [0xF9] = "breveb",   [0xFA] = "ldbltil",
    [0xFB] = "rdbltil",  [0xFE] = "commaa",
};

const char *
marc_mnemonic_marc8_name(unsigned char c)
{
    return marc8_names[c];
}
