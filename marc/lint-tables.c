/*
 * lint-tables.c - MARC 21 Bibliographic and Holdings content designation,
 * as tables lint.c checks records against (see lint-tables.h).
 *
 * Written from the Library of Congress documentation of the two formats
 * (www.loc.gov/marc/bibliographic/ and www.loc.gov/marc/holdings/, through
 * the 2024 updates), including the subfields added since 2017 for linked
 * data ($0, $1) and data provenance ($7, and $l in 76X-78X, $e in 856).
 * When in doubt an element is accepted: a false warning on a valid record
 * costs a cataloger more than a missed one.
 *
 * One string per tag, fields separated by single spaces:
 *
 *     TAG REP [IND1 IND2 SUBFIELD...]
 *
 *   TAG       three digits
 *   REP       R (repeatable) or N (not repeatable)
 *   IND1/2    the values the indicator may take: '#' is blank, "0-9" is a
 *             range; a lone '#' means the indicator is undefined
 *   SUBFIELD  a code, followed by '+' when the subfield is repeatable;
 *             '*' accepts every code (886 carries foreign subfields)
 *
 * A control field (00X) is "TAG REP" alone.  For example
 *
 *     "245 N 01 0-9 a b c f g h k+ n+ p+ s 6 7+ 8+"
 *
 * says 245 is not repeatable, indicator 1 is 0 or 1, indicator 2 is 0 to 9,
 * and only $k, $n, $p, $7 and $8 may repeat.  Obsolete tags are listed on
 * their own: lint names them as obsolete rather than unknown.
 *
 * Subfield $9 is accepted in every field: MARC 21 leaves it unused and
 * systems use it locally (Alma's "$9 LOCAL" marks a local field).
 *
 * The holdings fields 841-878 are defined in the Holdings format and may be
 * embedded in bibliographic records; the bibliographic table borrows them.
 */
#include "lint-tables.h"

#include <pthread.h>
#include <stddef.h>
#include <string.h>

/* ---- MARC 21 Bibliographic ---- */

/* One tag per line, however long: clang-format would split the strings. */
/* clang-format off */

static const char *const bib_tags[] = {
    "001 N",
    "003 N",
    "005 N",
    "006 R",
    "007 R",
    "008 N",
    /* 01X-04X numbers and codes */
    "010 N # # a b+ z+ 8+",
    "013 R # # a b c d+ e+ f+ 6 8+",
    "015 R # # a+ q+ z+ 2 6 8+",
    "016 R #7 # a z+ 2 8+",
    "017 R # #8 a+ b d i z+ 2 6 8+",
    "018 N # # a 6 8+",
    "020 R # # a c q+ z+ 6 8+",
    "022 R #01 # a l m+ y+ z+ 0+ 1+ 2 6 8+",
    "024 R 0-478 #01 a c d q+ z+ 2 6 7+ 8+",
    "025 R # # a+ 8+",
    "026 R # # a b c d+ e 2 5+ 6 8+",
    "027 R # # a q+ z+ 6 8+",
    "028 R 0-6 0-3 a b q+ 6 8+",
    "030 R # # a z+ 6 8+",
    "031 R # # a b c d+ e g m n o p q+ r s+ t+ u+ y+ z+ 2 6 8+",
    "032 R # # a b 6 8+",
    "033 R #012 #012 a+ b+ c+ p+ 0+ 1+ 2+ 3 6 8+",
    "034 R 013 #01 a b+ c+ d e f g h+ j k m n p r s+ t+ x y z 0+ 1+ 2 3 6 8+",
    "035 R # # a z+ 6 8+",
    "036 N # # a b 6 8+",
    "037 R #23 # a b c+ f+ g+ n+ 3 5+ 6 8+",
    "038 N # # a 6 8+",
    "040 N # # a b c d+ e+ 6 8+",
    "041 R #01 #7 a+ b+ d+ e+ f+ g+ h+ i+ j+ k+ m+ n+ p+ q+ r+ t+ 2+ 3 6 7+ 8+",
    "042 N # # a+",
    "043 N # # a+ b+ c+ 0+ 1+ 2+ 6 8+",
    "044 N # # a+ b+ c+ 2+ 6 8+",
    "045 N #012 # a+ b+ c+ 6 8+",
    "046 R #123 # a b c d e j k l m n o p x+ z+ 2 3 6 8+",
    "047 R # #7 a+ 2 8+",
    "048 R # #7 a+ b+ 2 8+",
    /* 05X-08X classification and call numbers */
    /* 050/060 indicator 2 was undefined (blank) before 1982, and old LC and
     * NLM copy still carries the blank: accepted. */
    "050 R #01 #04 a+ b 0+ 1+ 3 6 8+",
    "051 R # # a b c 8+",
    "052 R #17 # a b+ d+ 0+ 1+ 2 6 8+",
    "055 R #01 0-9 a b 0+ 1+ 2 6 8+",
    "060 R #01 #04 a+ b 0+ 1+ 8+",
    "061 R # # a+ b c 8+",
    "066 N # # a b c+",
    "070 R #01 # a+ b 0+ 1+ 8+",
    "071 R # # a+ b c+ 8+",
    "072 R # 07 a x+ 2 6 8+",
    "074 R # # a z+ 8+",
    "080 R #01 # a b x+ 0+ 1+ 2 6 8+",
    "082 R 017 #04 a+ b m q 0+ 1+ 2 6 8+",
    "083 R 017 # a+ c+ m q y+ z+ 0+ 1+ 2 6 8+",
    "084 R # # a+ b q 0+ 1+ 2 6 8+",
    "085 R # # a+ b+ c+ f+ r+ s+ t+ u+ v+ w+ y+ z+ 0+ 1+ 6 8+",
    "086 R #01 # a z+ 0+ 1+ 2 6 8+",
    "088 R # # a z+ 6 8+",
    /* 1XX main entries */
    "100 N 013 # a b c+ d e+ f g+ j+ k+ l n+ p+ q t u 0+ 1+ 2 4+ 6 7+ 8+",
    "110 N 012 # a b+ c+ d+ e+ f g+ k+ l n+ p+ t u 0+ 1+ 2 4+ 6 7+ 8+",
    "111 N 012 # a c+ d+ e+ f g+ j+ k+ l n+ p+ q t u 0+ 1+ 2 4+ 6 7+ 8+",
    "130 N 0-9 # a d+ f g+ h k+ l m+ n+ o p+ r s+ t 0+ 1+ 2 6 7+ 8+",
    /* 20X-24X titles */
    "210 R 01 #0 a b 2+ 6 7+ 8+",
    "222 R # 0-9 a b 6 7+ 8+",
    "240 N 01 0-9 a d+ f g+ h k+ l m+ n+ o p+ r s+ 0+ 1+ 2 6 7+ 8+",
    "242 R 01 0-9 a b c h n+ p+ y 6 7+ 8+",
    "243 N 01 0-9 a d+ f g+ h k+ l m+ n+ o p+ r s+ 6 7+ 8+",
    "245 N 01 0-9 a b c f g h k+ n+ p+ s 6 7+ 8+",
    "246 R 0-3 #0-8 a b f g+ h i n+ p+ 5+ 6 7+ 8+",
    "247 R 01 01 a b f g+ h n+ p+ x 6 7+ 8+",
    /* 25X-28X edition, imprint */
    "250 R # # a b 3 6 7+ 8+",
    "251 R # # a+ 0+ 1+ 2 3 6 7+ 8+",
    "254 N # # a 6 7+ 8+",
    "255 R # # a b c d e f g 6 7+ 8+",
    "256 N # # a 6 7+ 8+",
    "257 R # # a+ 0+ 1+ 2 6 7+ 8+",
    "258 R # # a b 6 7+ 8+",
    "260 R #23 # a+ b+ c+ d e+ f+ g+ 3 6 7+ 8+",
    "263 N # # a 6 7+ 8+",
    "264 R #23 0-4 a+ b+ c+ 3 6 7+ 8+",
    "270 R #12 #07 a+ b c d e f g h i j+ k+ l+ m+ n+ p+ q+ r+ z+ 4+ 6 7+ 8+",
    /* 3XX physical description etc. */
    "300 R # # a+ b c+ e f+ g+ 3 6 7+ 8+",
    "306 N # # a+ 6 7+ 8+",
    "307 R #8 # a b 6 7+ 8+",
    "310 N # # a b 0+ 1+ 2 6 7+ 8+",
    "321 R # # a b 0+ 1+ 2 6 7+ 8+",
    "334 R # # a+ b+ 0+ 1+ 2 3 6 7+ 8+",
    "335 R # # a+ b+ 0+ 1+ 2 3 6 7+ 8+",
    "336 R # # a+ b+ 0+ 1+ 2 3 6 7+ 8+",
    "337 R # # a+ b+ 0+ 1+ 2 3 6 7+ 8+",
    "338 R # # a+ b+ 0+ 1+ 2 3 6 7+ 8+",
    "340 R # # a+ b+ c+ d+ e+ f+ g+ h+ i+ j+ k+ l+ m+ n+ o+ p+ q+ 0+ 1+ 2 3 6 7+ 8+",
    "341 R #01 # a b+ c+ d+ e+ 0+ 1+ 2 3 6 7+ 8+",
    "342 R 01 0-8 a b c d e+ f+ g h i j k l m n o p q r s t u v w 2 6 7+ 8+",
    "343 R # # a b c d e f g h i 6 7+ 8+",
    "344 R # # a+ b+ c+ d+ e+ f+ g+ h+ i+ j+ 0+ 1+ 2 3 6 7+ 8+",
    "345 R # # a+ b+ c+ d+ 0+ 1+ 2 3 6 7+ 8+",
    "346 R # # a+ b+ 0+ 1+ 2 3 6 7+ 8+",
    "347 R # # a+ b+ c+ d+ e+ f+ 0+ 1+ 2 3 6 7+ 8+",
    "348 R # # a+ b+ c+ d+ 0+ 1+ 2 3 6 7+ 8+",
    "351 R # # a+ b+ c 3 6 7+ 8+",
    "352 R # # a b+ c+ d e f g i q+ 6 7+ 8+",
    "353 R # # a b+ 0+ 1+ 2 3 6 7+ 8+",
    "355 R 0-58 # a b+ c+ d e f g h j+ 6 7+ 8+",
    "357 N # # a b+ c+ g+ 6 7+ 8+",
    "362 R 01 # a z 6 7+ 8+",
    "363 R #01 #01 a b c d e f g h i j k l m u v x+ z+ 6 7+ 8+",
    "365 R # # a b c d e f g h i j k m 2 6 7+ 8+",
    "366 R # # a b c d e f g j k m 2 6 7+ 8+",
    "370 R # # c+ f+ g+ i+ s t u+ v+ 0+ 1+ 2 3 4+ 6 7+ 8+",
    "377 R # #7 a+ l+ 0+ 1+ 2 3 6 7+ 8+",
    "380 R # # a+ 0+ 1+ 2 3 6 7+ 8+",
    "381 R # # a+ u+ v+ 0+ 1+ 2 3 6 7+ 8+",
    "382 R #0-3 #01 a+ b+ d+ e+ n+ p+ r s+ t v+ 0+ 1+ 2 3 6 7+ 8+",
    "383 R # # a+ b+ c+ d e 2 3 6 7+ 8+",
    "384 R #01 # a 3 6 7+ 8+",
    "385 R # # a+ b+ m n 0+ 1+ 2 3 6 7+ 8+",
    "386 R # # a+ b+ i+ m n 0+ 1+ 2 3 4+ 6 7+ 8+",
    "387 R # # a+ b+ c+ d+ e+ f+ g+ h+ i+ j+ k+ l+ m+ 0+ 1+ 2 3 6 7+ 8+",
    "388 R #12 # a+ 0+ 1+ 2 3 6 7+ 8+",
    /* 4XX series statements */
    "490 R 01 # a+ l v+ x+ 3 6 7+ 8+",
    /* 5XX notes */
    "500 R # # a 3 5 6 7+ 8+",
    "501 R # # a 5 6 7+ 8+",
    "502 R # # a b c d g+ o+ 6 7+ 8+",
    "504 R # # a b 6 7+ 8+",
    "505 R 0128 #0 a g+ r+ t+ u+ 6 7+ 8+",
    "506 R #01 # a b+ c+ d+ e+ f+ g+ q+ u+ 2 3 5 6 7+ 8+",
    "507 N # # a b 6 7+ 8+",
    "508 R # # a 6 7+ 8+",
    "510 R 0-4 # a b c u+ x 3 6 7+ 8+",
    "511 R 01 # a 6 7+ 8+",
    "513 R # # a b 6 7+ 8+",
    "514 N # # a b+ c+ d e+ f g+ h+ i j+ k+ m u+ z+ 6 7+ 8+",
    "515 R # # a 6 7+ 8+",
    "516 R #8 # a 6 7+ 8+",
    "518 R # # a d+ o+ p+ 0+ 1+ 2+ 3 6 7+ 8+",
    "520 R #0-48 # a b c u+ 2 3 6 7+ 8+",
    "521 R #0-48 # a+ b 3 6 7+ 8+",
    "522 R #8 # a 6 7+ 8+",
    "524 R #8 # a 2 3 6 7+ 8+",
    "525 R # # a 6 7+ 8+",
    "526 R 08 # a b c d i x+ z+ 5 6 7+ 8+",
    "530 R # # a b c d u+ 3 6 7+ 8+",
    "532 R 0128 # a 6 7+ 8+",
    "533 R # # a b+ c+ d e f+ m+ n+ 3 5 6 7 8+",
    "534 R # # a b c e f+ k+ l m n+ o+ p t x+ z+ 3 6 7+ 8+",
    "535 R 12 # a b+ c+ d+ g 3 6 7+ 8+",
    "536 R # # a b+ c+ d+ e+ f+ g+ h+ 6 7+ 8+",
    "538 R # # a i u+ 3 5 6 7+ 8+",
    "540 R # # a b c d f+ g+ q u+ 2 3 5 6 7+ 8+",
    "541 R #01 # a b c d e f h+ n+ o+ 3 5 6 7+ 8+",
    "542 R #01 # a b c d+ e+ f+ g h+ i j k+ l m n+ o p+ q r s u+ 3 6 7+ 8+",
    "544 R #01 # a+ b+ c+ d+ e+ n+ 3 6 7+ 8+",
    "545 R #01 # a b u+ 6 7+ 8+",
    "546 R # # a b+ 3 6 7+ 8+",
    "547 R # # a 6 7+ 8+",
    "550 R # # a 6 7+ 8+",
    "552 R # # a b c d e+ f+ g h i j k l m n o+ p+ u+ z+ 6 7+ 8+",
    "555 R #08 # a b+ c d u+ 3 6 7+ 8+",
    "556 R #8 # a z+ 6 7+ 8+",
    "561 R #01 # a u+ 3 5 6 7+ 8+",
    "562 R # # a+ b+ c+ d+ e+ 3 5 6 7+ 8+",
    "563 R # # a u+ 3 5 6 7+ 8+",
    "565 R #08 # a b+ c+ d+ e+ 3 6 7+ 8+",
    "567 R #8 # a b+ 0+ 1+ 2 6 7+ 8+",
    "580 R # # a 6 7+ 8+",
    "581 R #8 # a z+ 3 6 7+ 8+",
    "583 R #01 # a b+ c+ d+ e+ f+ h+ i+ j+ k+ l+ n+ o+ u+ x+ z+ 2 3 5 6 7+ 8+",
    "584 R # # a+ b+ 3 5 6 7+ 8+",
    "585 R # # a 3 5 6 7+ 8+",
    "586 R #8 # a 3 6 7+ 8+",
    "588 R #01 # a 5 6 7+ 8+",
    /* 6XX subject access */
    "600 R 013 0-7 a b c+ d e+ f g+ h j+ k+ l m+ n+ o p+ q r s+ t u v+ x+ y+ z+ 0+ 1+ 2 3 4+ 6 7+ 8+",
    "610 R 012 0-7 a b+ c+ d+ e+ f g+ h k+ l m+ n+ o p+ r s+ t u v+ x+ y+ z+ 0+ 1+ 2 3 4+ 6 7+ 8+",
    "611 R 012 0-7 a c+ d+ e+ f g+ h j+ k+ l n+ p+ q s+ t u v+ x+ y+ z+ 0+ 1+ 2 3 4+ 6 7+ 8+",
    "630 R 0-9 0-7 a d+ e+ f g+ h k+ l m+ n+ o p+ r s+ t v+ x+ y+ z+ 0+ 1+ 2 3 4+ 6 7+ 8+",
    "647 R # 0-7 a c+ d g+ v+ x+ y+ z+ 0+ 1+ 2 3 6 7+ 8+",
    "648 R # 0-7 a v+ x+ y+ z+ 0+ 1+ 2 3 6 7+ 8+",
    "650 R #012 0-7 a b c d e+ g+ v+ x+ y+ z+ 0+ 1+ 2 3 4+ 6 7+ 8+",
    "651 R # 0-7 a e+ g+ v+ x+ y+ z+ 0+ 1+ 2 3 4+ 6 7+ 8+",
    "653 R #0-2 #0-6 a+ 0+ 1+ 6 7+ 8+",
    "654 R #012 # a+ b+ c+ e+ v+ y+ z+ 0+ 1+ 2 3 4+ 6 7+ 8+",
    "655 R #0 0-7 a b+ c+ v+ x+ y+ z+ 0+ 1+ 2 3 5 6 7+ 8+",
    "656 R # 7 a k v+ x+ y+ z+ 0+ 1+ 2 3 6 7+ 8+",
    "657 R # 7 a v+ x+ y+ z+ 0+ 1+ 2 3 6 7+ 8+",
    "658 R # # a b+ c d 2 6 7+ 8+",
    "662 R # # a+ b c+ d e+ f+ g+ h+ 0+ 1+ 2 4+ 6 7+ 8+",
    "688 R # #0-7 a e+ g+ 0+ 1+ 2 3 4+ 6 7+ 8+",
    /* 70X-75X added entries */
    "700 R 013 #2 a b c+ d e+ f g+ h i+ j+ k+ l m+ n+ o p+ q r s+ t u x 0+ 1+ 2 3 4+ 5 6 7+ 8+",
    "710 R 012 #2 a b+ c+ d+ e+ f g+ h i+ k+ l m+ n+ o p+ r s+ t u x 0+ 1+ 2 3 4+ 5 6 7+ 8+",
    "711 R 012 #2 a c+ d+ e+ f g+ h i+ j+ k+ l n+ p+ q s+ t u x 0+ 1+ 2 3 4+ 5 6 7+ 8+",
    "720 R #12 # a e+ 0+ 1+ 4+ 6 7+ 8+",
    "730 R 0-9 #2 a d+ f g+ h i+ k+ l m+ n+ o p+ r s+ t x 0+ 1+ 2 3 4+ 5 6 7+ 8+",
    "740 R 0-9 #2 a h n+ p+ 5 6 7+ 8+",
    "751 R # # a e+ g+ 0+ 1+ 2 3 4+ 6 7+ 8+",
    "752 R # # a+ b c+ d+ e+ f+ g+ h+ 0+ 1+ 2 4+ 6 7+ 8+",
    "753 R # # a b c 0+ 1+ 2 6 7+ 8+",
    "754 R # # a+ c+ d+ x+ z+ 0+ 1+ 2 6 7+ 8+",
    "758 R # # a i+ 0+ 1+ 2 3 4+ 5 6 7+ 8+",
    /* 76X-78X linking entries: $7 is the control subfield, $l data provenance */
    "760 R 01 #8 a b c d g+ h i+ l+ m n+ o+ s t w+ x y 4+ 5 6 7 8+",
    "762 R 01 #8 a b c d g+ h i+ l+ m n+ o+ s t w+ x y 4+ 5 6 7 8+",
    "765 R 01 #8 a b c d g+ h i+ k+ l+ m n+ o+ r+ s t u w+ x y z+ 4+ 5 6 7 8+",
    "767 R 01 #8 a b c d g+ h i+ k+ l+ m n+ o+ r+ s t u w+ x y z+ 4+ 5 6 7 8+",
    "770 R 01 #8 a b c d e g+ h i+ k+ l+ m n+ o+ r+ s t u w+ x y z+ 4+ 5 6 7 8+",
    "772 R 01 #08 a b c d e g+ h i+ k+ l+ m n+ o+ r+ s t u w+ x y z+ 4+ 5 6 7 8+",
    "773 R 01 #8 a b d g+ h i+ k+ l+ m n+ o+ p q r+ s t u w+ x y z+ 3 4+ 5 6 7 8+",
    "774 R 01 #8 a b c d e g+ h i+ k+ l+ m n+ o+ r+ s t u w+ x y z+ 4+ 5 6 7 8+",
    "775 R 01 #8 a b c d e f g+ h i+ k+ l+ m n+ o+ r+ s t u w+ x y z+ 4+ 5 6 7 8+",
    "776 R 01 #8 a b c d g+ h i+ k+ l+ m n+ o+ r+ s t u w+ x y z+ 4+ 5 6 7 8+",
    "777 R 01 #8 a b c d g+ h i+ k+ l+ m n+ o+ r+ s t u w+ x y z+ 4+ 5 6 7 8+",
    "780 R 01 0-7 a b c d g+ h i+ k+ l+ m n+ o+ r+ s t u w+ x y z+ 4+ 5 6 7 8+",
    "785 R 01 0-8 a b c d g+ h i+ k+ l+ m n+ o+ r+ s t u w+ x y z+ 4+ 5 6 7 8+",
    "786 R 01 #8 a b c d g+ h i+ j k+ l+ m n+ o+ p r+ s t u v w+ x y z+ 4+ 5 6 7 8+",
    "787 R 01 #8 a b c d g+ h i+ k+ l+ m n+ o+ r+ s t u w+ x y z+ 4+ 5 6 7 8+",
    /* 80X-83X series added entries: $7 is the control subfield */
    "800 R 013 # a b c+ d e+ f g+ h j+ k+ l m+ n+ o p+ q r s+ t u v w+ x y+ 0+ 1+ 2 3 4+ 5+ 6 7 8+",
    "810 R 012 # a b+ c+ d+ e+ f g+ h k+ l m+ n+ o p+ r s+ t u v w+ x y+ 0+ 1+ 2 3 4+ 5+ 6 7 8+",
    "811 R 012 # a c+ d+ e+ f g+ h j+ k+ l n+ p+ q s+ t u v w+ x y+ 0+ 1+ 2 3 4+ 5+ 6 7 8+",
    "830 R # 0-9 a d+ f g+ h k+ l m+ n+ o p+ r s+ t v w+ x y+ 0+ 1+ 2 3 5+ 6 7 8+",
    /* 841-88X holdings, location, alternate graphics; 841-878 come from
     * the holdings table */
    "850 R # # a+ 8+",
    "880 R",
    "881 R # # a+ b+ c+ d+ e+ f+ g+ h+ i+ j+ k+ l+ m+ n+ 2 3 6 8+",
    "882 N # # a+ i+ w+ 6 8+",
    "883 R #0-2 # a c d q u w+ x 0+ 1+ 8+",
    "884 R # # a g k q u+",
    "885 R # # a b+ c d w+ x+ z+ 0+ 1+ 2 5 8+",
    "886 R 0-2 # *",
    "887 R # # a 2",
};

/* Tags MARC 21 Bibliographic once defined and has made obsolete. */
static const char bib_obsolete[] =
    "009 011 039 211 212 214 241 265 301 302 303 304 305 308 315 350 359 "
    "440 503 512 517 523 527 537 543 570 582 652 705 715 755 840 851 "
    "870 871 872 873";

/* Tags MARC 21 Bibliographic marks [LOCAL]: kept for the agencies that use
 * them (pre-AACR 2 imprints of films and sound recordings, series
 * statements with added entries); lint does not judge them. */
static const char bib_local[] = "002 261 262 400 410 411";

/* ---- MARC 21 Holdings ---- */

static const char *const holdings_tags[] = {
    "001 N",
    "003 N",
    "004 N",
    "005 N",
    "006 R",
    "007 R",
    "008 N",
    "010 N # # a z+ 8+",
    "014 R 01 # a b z+ 6 8+",
    "020 R # # a c q+ z+ 6 8+",
    "022 R #01 # a l m+ y+ z+ 2 6 8+",
    "024 R 0-478 #01 a c d q+ z+ 2 6 8+",
    "027 R # # a q+ z+ 6 8+",
    "030 R # # a z+ 6 8+",
    "035 R # # a z+ 6 8+",
    "037 R #23 # a b c+ f+ g+ n+ 3 5+ 6 8+",
    "040 N # # a b c d+ e+ 6 8+",
    "050 R #01 #04 a+ b 0+ 1+ 3 6 8+",
    "055 R #01 0-9 a b 0+ 1+ 2 8+",
    "060 R #01 #04 a+ b 0+ 1+ 8+",
    "061 R # # a+ b c 8+",
    "066 N # # a b c+",
    "070 R 01 # a+ b 0+ 1+ 8+",
    "071 R # # a+ b c+ 8+",
    "080 R #01 # a b x+ 0+ 1+ 2 6 8+",
    "082 R 017 #04 a+ b m q 0+ 1+ 2 6 8+",
    "084 R # # a+ b q 0+ 1+ 2 6 8+",
    "086 R #01 # a z+ 0+ 1+ 2 6 8+",
    "307 R #8 # a b 6 8+",
    "337 R # # a+ b+ 0+ 1+ 2 3 6 8+",
    "338 R # # a+ b+ 0+ 1+ 2 3 6 8+",
    "340 R # # a+ b+ c+ d+ e+ f+ g+ h+ i+ j+ k+ l+ m+ n+ o+ p+ q+ 0+ 1+ 2 3 6 8+",
    "341 R #01 # a b+ c+ d+ e+ 0+ 1+ 2 3 6 8+",
    "347 R # # a+ b+ c+ d+ e+ f+ 0+ 1+ 2 3 6 8+",
    "355 R 0-58 # a b+ c d e f g h j 6 8+",
    "357 N # # a b+ c+ g+ 6 8+",
    "500 R # # a 3 5 6 8+",
    "506 R #01 # a b+ c+ d+ e+ f+ g+ q u+ 2 3 5 6 8+",
    "538 R # # a i u+ 3 5 6 8+",
    "541 R #01 # a b c d e f h+ n+ o+ 3 5 6 8+",
    "561 R #01 # a u+ 3 5 6 8+",
    "562 R # # a+ b+ c+ d+ e+ 3 5 6 8+",
    "563 R # # a u+ 3 5 6 8+",
    "583 R #01 # a b+ c+ d+ e+ f+ h+ i+ j+ k+ l+ n+ o+ u+ x+ z+ 2 3 5 6 8+",
    "841 N # # a b e",
    "842 N # # a 6 8+",
    "843 R # # a b+ c+ d e+ f+ m+ n+ 3 5+ 6 7 8+",
    "844 N # # a 6 8+",
    "845 R # # a b c d f+ g+ q u+ 2 3 5 6 8+",
    "852 R #0-8 #0-2 a b+ c+ d+ e+ f+ g+ h i+ j k+ l m+ n p q s+ t u+ x+ z+ 2 3 6 8+",
    "853 R 0-3 0-3 a b c d e f g h i j k l m n o+ p t u+ v+ w x y+ z+ 2 3 6 8",
    "854 R 0-3 0-3 a b c d e f g h i j k l m n o+ p t u+ v+ w x y+ z+ 2 3 6 8",
    "855 R 0-3 0-3 a b c d e f g h i j k l m n o+ p t u+ v+ w x y+ z+ 2 3 6 8",
    "856 R #0-47 #0-48 a+ b+ c+ d+ e+ f+ h i+ j k l m+ n o p q r s+ t+ u+ v+ w+ x+ y+ z+ 2 3 6 7 8+",
    "857 R #47 #0-48 b c+ d+ e+ f+ g+ h+ l+ m+ n q r s+ t+ u+ x+ y+ z+ 2 3 5 6 7 8+",
    "863 R #3-5 #0-4 a b c d e f g h i j k l m n o+ p q s+ t w x+ z+ 6 8",
    "864 R #3-5 #0-4 a b c d e f g h i j k l m n o+ p q s+ t w x+ z+ 6 8",
    "865 R #3-5 #0-4 a b c d e f g h i j k l m n o+ p q s+ t v w x+ z+ 6 8",
    "866 R #3-5 0127 a x+ z+ 2 6 8+",
    "867 R #3-5 0127 a x+ z+ 2 6 8+",
    "868 R #3-5 0127 a x+ z+ 2 6 8+",
    "876 R # # a b+ c+ d+ e+ h+ j+ l+ p+ r+ t x+ z+ 3 6 8+",
    "877 R # # a b+ c+ d+ e+ h+ j+ l+ p+ r+ t x+ z+ 3 6 8+",
    "878 R # # a b+ c+ d+ e+ h+ j+ l+ p+ r+ t x+ z+ 3 6 8+",
    "880 R",
    "883 R #0-2 # a c d q u w+ x 0+ 1+ 8+",
    "884 R # # a g k q u+",
    "887 R # # a 2",
};

/* Obsolete in Holdings. */
static const char holdings_obsolete[] = "851";

/* ---- the leader ---- */

struct leader_rule {
    int pos;
    const char *values;   /* '#' is blank */
    const char *obsolete; /* once defined; reported as a warning */
};

/* Bibliographic leader.  Leader/17 I, J, K, L, M are OCLC's own encoding
 * levels, common in WorldCat records though not MARC 21: a warning. */
static const struct leader_rule bib_leader[] = {
    {5, "acdnp", ""},      {6, "acdefgijkmoprt", "bhn"}, {7, "abcdims", ""},
    {8, "#a", ""},         {9, "#a", ""},                {17, "#1234578uz", "IJKLM"},
    {18, "#acinu", "p"},   {19, "#abc", "r"},
};

static const struct leader_rule holdings_leader[] = {
    {5, "cdn", ""}, {6, "uvxy", ""}, {7, "#", ""},  {8, "#", ""},
    {9, "#a", ""},  {17, "12345muz", ""}, {18, "in", ""}, {19, "#", ""},
};

/* clang-format on */

/* ---- parsing ---- */

static struct marc_lint_tag parsed[2][1000];
static pthread_once_t parsed_once = PTHREAD_ONCE_INIT;

uint64_t
marc_lint_ind_bit(char c)
{
    if (c == ' ')
        return 1;
    if (c >= '0' && c <= '9')
        return (uint64_t)1 << (1 + c - '0');
    if (c >= 'a' && c <= 'z')
        return (uint64_t)1 << (11 + c - 'a');
    return 0;
}

uint64_t
marc_lint_sf_bit(char c)
{
    if (c >= '0' && c <= '9')
        return (uint64_t)1 << (c - '0');
    if (c >= 'a' && c <= 'z')
        return (uint64_t)1 << (10 + c - 'a');
    return 0;
}

static int
tag_number(const char *tag)
{
    int n = 0;
    for (int i = 0; i < 3; i++) {
        if (tag[i] < '0' || tag[i] > '9')
            return -1;
        n = n * 10 + (tag[i] - '0');
    }
    return n;
}

/* Parse an indicator spec ("#01", "0-9", "#0-7") at *p into a mask. */
static uint64_t
parse_ind(const char **p)
{
    uint64_t mask = 0;
    const char *s = *p;
    for (; *s && *s != ' '; s++) {
        char c = *s == '#' ? ' ' : *s;
        if (s[1] == '-' && s[2] && s[2] != ' ') {
            for (char k = c; k <= s[2]; k++)
                mask |= marc_lint_ind_bit(k);
            s += 2;
        } else {
            mask |= marc_lint_ind_bit(c);
        }
    }
    *p = *s ? s + 1 : s;
    return mask;
}

static void
parse_subfields(struct marc_lint_tag *t, const char *s)
{
    for (; *s; s++) {
        if (*s == ' ')
            continue;
        if (*s == '*') {
            t->any_subfield = true;
            continue;
        }
        uint64_t bit = marc_lint_sf_bit(*s);
        t->sf_defined |= bit;
        if (s[1] == '+') {
            t->sf_repeatable |= bit;
            s++;
        }
    }
}

static void
parse_line(struct marc_lint_tag *table, const char *line)
{
    int n = tag_number(line);
    struct marc_lint_tag *t = &table[n];
    t->defined = true;
    t->repeatable = line[4] == 'R';
    t->control = line[0] == '0' && line[1] == '0';
    const char *p = line + 5;
    if (*p != ' ')
        return; /* control field, or 880 (judged by its linked tag) */
    p++;
    t->ind[0] = parse_ind(&p);
    t->ind[1] = parse_ind(&p);
    parse_subfields(t, p);
    t->sf_defined |= marc_lint_sf_bit('9');
    t->sf_repeatable |= marc_lint_sf_bit('9');
}

/* Mark the tags of a space-separated list obsolete (or local). */
static void
parse_list(struct marc_lint_tag *table, const char *list, bool local)
{
    for (const char *p = list; *p; p += p[3] ? 4 : 3) {
        int n = tag_number(p);
        if (n < 0 || table[n].defined)
            continue;
        if (local)
            table[n].local = true;
        else
            table[n].obsolete = true;
    }
}

static void
parse_all(void)
{
    for (size_t i = 0; i < sizeof holdings_tags / sizeof *holdings_tags; i++)
        parse_line(parsed[MARC_LINT_HOLDINGS], holdings_tags[i]);
    for (size_t i = 0; i < sizeof bib_tags / sizeof *bib_tags; i++)
        parse_line(parsed[MARC_LINT_BIB], bib_tags[i]);
    /* Holdings fields embedded in bibliographic records (841-878). */
    for (int n = 841; n <= 878; n++)
        if (!parsed[MARC_LINT_BIB][n].defined && parsed[MARC_LINT_HOLDINGS][n].defined)
            parsed[MARC_LINT_BIB][n] = parsed[MARC_LINT_HOLDINGS][n];
    parse_list(parsed[MARC_LINT_BIB], bib_obsolete, false);
    parse_list(parsed[MARC_LINT_BIB], bib_local, true);
    parse_list(parsed[MARC_LINT_HOLDINGS], holdings_obsolete, false);
}

const struct marc_lint_tag *
marc_lint_tables_tag(enum marc_lint_format format, const char *tag)
{
    int n = tag_number(tag);
    if (n < 0)
        return NULL;
    pthread_once(&parsed_once, parse_all);
    return &parsed[format][n];
}

static const struct leader_rule *
leader_rule(enum marc_lint_format format, int pos)
{
    const struct leader_rule *rules = format == MARC_LINT_BIB ? bib_leader : holdings_leader;
    for (int i = 0; i < 8; i++)
        if (rules[i].pos == pos)
            return &rules[i];
    return NULL;
}

bool
marc_lint_tables_leader_ok(enum marc_lint_format format, int pos, char c, bool *obsolete)
{
    const struct leader_rule *rule = leader_rule(format, pos);
    *obsolete = false;
    if (!rule)
        return true;
    char k = c == ' ' ? '#' : c;
    if (k != '\0' && strchr(rule->values, k))
        return true;
    *obsolete = k != '\0' && strchr(rule->obsolete, k) != NULL;
    return false;
}

const char *
marc_lint_tables_leader_values(enum marc_lint_format format, int pos)
{
    const struct leader_rule *rule = leader_rule(format, pos);
    return rule ? rule->values : "";
}
