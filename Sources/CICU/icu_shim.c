#include "CICU.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

struct ahub_segmenter {
    UBreakIterator *iterator;
    UText *text;
    int32_t position;
};

static void fill_error(char *error, int32_t capacity, const char *what, UErrorCode status) {
    if (error && capacity > 0) {
        snprintf(error, (size_t)capacity, "%s: %s", what, u_errorName(status));
    }
}

ahub_segmenter *ahub_segmenter_open(char *error, int32_t errorCapacity) {
    UErrorCode status = U_ZERO_ERROR;
    // The root locale's rules with the CJK dictionary engine: Chinese and
    // Japanese runs are split into dictionary words whatever the locale.
    UBreakIterator *iterator = ubrk_open(UBRK_WORD, "zh", NULL, 0, &status);
    if (U_FAILURE(status)) {
        fill_error(error, errorCapacity, "ubrk_open", status);
        return NULL;
    }
    ahub_segmenter *segmenter = calloc(1, sizeof(ahub_segmenter));
    segmenter->iterator = iterator;
    return segmenter;
}

void ahub_segmenter_close(ahub_segmenter *segmenter) {
    if (!segmenter) return;
    ubrk_close(segmenter->iterator);
    if (segmenter->text) utext_close(segmenter->text);
    free(segmenter);
}

int32_t ahub_segmenter_set_text(ahub_segmenter *segmenter, const char *text, int32_t length) {
    UErrorCode status = U_ZERO_ERROR;
    // Reuses the UText: utext_openUTF8 indexes natively in UTF-8 bytes, so
    // ICU's boundaries are byte offsets into the caller's text.
    segmenter->text = utext_openUTF8(segmenter->text, text, length, &status);
    if (U_FAILURE(status)) return -1;
    ubrk_setUText(segmenter->iterator, segmenter->text, &status);
    if (U_FAILURE(status)) return -1;
    segmenter->position = ubrk_first(segmenter->iterator);
    return 0;
}

int32_t ahub_segmenter_next(ahub_segmenter *segmenter, int32_t *out, int32_t capacity) {
    int32_t written = 0;
    if (segmenter->position == UBRK_DONE) return 0;
    while (written < capacity) {
        int32_t end = ubrk_next(segmenter->iterator);
        if (end == UBRK_DONE) {
            segmenter->position = UBRK_DONE;
            break;
        }
        int32_t rule = ubrk_getRuleStatus(segmenter->iterator);
        if (rule >= UBRK_WORD_NONE_LIMIT) {
            out[written * 3] = segmenter->position;
            out[written * 3 + 1] = end;
            out[written * 3 + 2] = rule;
            written++;
        }
        segmenter->position = end;
    }
    return written;
}

struct ahub_normalizer {
    const UNormalizer2 *nfkc_cf;
    const UNormalizer2 *nfd;
    const UNormalizer2 *nfc;
    UTransliterator *simplify;
    UTransliterator *traditional;  /* Simplified-Traditional, opened on first use */
    UChar *buffer_a;
    UChar *buffer_b;
    int32_t capacity;
};

ahub_normalizer *ahub_normalizer_open(char *error, int32_t errorCapacity) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&status);
    if (U_FAILURE(status)) {
        fill_error(error, errorCapacity, "unorm2_getNFKCCasefoldInstance", status);
        return NULL;
    }
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&status);
    const UNormalizer2 *nfc = U_SUCCESS(status) ? unorm2_getNFCInstance(&status) : NULL;
    if (U_FAILURE(status)) {
        fill_error(error, errorCapacity, "unorm2_getNFDInstance/NFCInstance", status);
        return NULL;
    }
    UChar id[32];
    u_uastrcpy(id, "Traditional-Simplified");
    UTransliterator *simplify = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
    if (U_FAILURE(status)) {
        fill_error(error, errorCapacity, "utrans_openU(Traditional-Simplified)", status);
        return NULL;
    }
    ahub_normalizer *normalizer = calloc(1, sizeof(ahub_normalizer));
    normalizer->nfkc_cf = nfkc_cf;
    normalizer->nfd = nfd;
    normalizer->nfc = nfc;
    normalizer->simplify = simplify;
    return normalizer;
}

void ahub_normalizer_close(ahub_normalizer *normalizer) {
    if (!normalizer) return;
    utrans_close(normalizer->simplify);
    if (normalizer->traditional) utrans_close(normalizer->traditional);
    free(normalizer->buffer_a);
    free(normalizer->buffer_b);
    free(normalizer);
}

static int reserve(ahub_normalizer *normalizer, int32_t units) {
    if (units <= normalizer->capacity) return 1;
    int32_t capacity = units * 2 + 64;
    UChar *a = realloc(normalizer->buffer_a, (size_t)capacity * sizeof(UChar));
    if (!a) return 0;
    normalizer->buffer_a = a;
    UChar *b = realloc(normalizer->buffer_b, (size_t)capacity * sizeof(UChar));
    if (!b) return 0;
    normalizer->buffer_b = b;
    normalizer->capacity = capacity;
    return 1;
}

static int has_han(const UChar *s, int32_t n) {
    for (int32_t i = 0; i < n; i++) {
        UChar c = s[i];
        if ((c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xD840 && c <= 0xD87F)) return 1;
    }
    return 0;
}

/* Letters of the Latin and Greek scripts, whose accents a reader types or leaves out at will. (Not Cyrillic:
   й is a letter of its own, not an и with an accent.) */
static int takes_accents_off(UChar32 c) {
    return (c >= 0x41 && c < 0x0400) || (c >= 0x1E00 && c <= 0x1FFF);
}

/* Accents off Latin and Greek letters (café → cafe, naïve → naive, Ἀθῆναι → αθηναι): the text
   decomposed (NFD), the non-spacing marks after such a letter dropped, the rest composed again (NFC), from
   `normalizer->buffer_b` through buffer_a back into buffer_b. Marks on other scripts (Devanagari, Thai,
   Hebrew points…) carry the word and stay. Returns the new length, or -1 on an ICU failure. */
static int32_t strip_accents(ahub_normalizer *normalizer, int32_t length) {
    int any = 0;
    for (int32_t i = 0; i < length; i++) {
        if (normalizer->buffer_b[i] >= 0x80) { any = 1; break; }
    }
    if (!any) return length;
    if (!reserve(normalizer, length * 4 + 16)) return -1;
    UErrorCode status = U_ZERO_ERROR;
    int32_t decomposed = unorm2_normalize(normalizer->nfd, normalizer->buffer_b, length, normalizer->buffer_a,
                                          normalizer->capacity, &status);
    if (U_FAILURE(status)) return -1;
    int32_t kept = 0, dropped = 0;
    UChar32 base = 0;
    for (int32_t i = 0; i < decomposed;) {
        UChar32 c;
        int32_t start = i;
        U16_NEXT(normalizer->buffer_a, i, decomposed, c);
        if (u_charType(c) == U_NON_SPACING_MARK) {
            if (takes_accents_off(base)) { dropped++; continue; }
        } else {
            base = c;
        }
        for (int32_t k = start; k < i; k++) normalizer->buffer_a[kept++] = normalizer->buffer_a[k];
    }
    if (!dropped) return length;
    int32_t composed = unorm2_normalize(normalizer->nfc, normalizer->buffer_a, kept, normalizer->buffer_b,
                                        normalizer->capacity, &status);
    return U_FAILURE(status) ? -1 : composed;
}

int32_t ahub_normalize(ahub_normalizer *normalizer, const char *text, int32_t length, char *out, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    // UTF-8 never takes fewer UTF-16 units than bytes; NFKC_CF can grow text
    // (ligatures, compatibility forms) by a bounded factor.
    if (!reserve(normalizer, length * 4 + 16)) return INT32_MIN;
    int32_t units = 0;
    u_strFromUTF8WithSub(normalizer->buffer_a, normalizer->capacity, &units, text, length, 0xFFFD, NULL, &status);
    if (U_FAILURE(status)) return INT32_MIN;
    int32_t folded = unorm2_normalize(normalizer->nfkc_cf, normalizer->buffer_a, units,
                                      normalizer->buffer_b, normalizer->capacity, &status);
    if (U_FAILURE(status)) return INT32_MIN;
    folded = strip_accents(normalizer, folded);
    if (folded < 0) return INT32_MIN;
    UChar *result = normalizer->buffer_b;
    int32_t resultLength = folded;
    if (has_han(result, resultLength)) {
        int32_t limit = resultLength;
        utrans_transUChars(normalizer->simplify, result, &resultLength, normalizer->capacity, 0, &limit, &status);
        if (U_FAILURE(status)) return INT32_MIN;
    }
    int32_t bytes = 0;
    status = U_ZERO_ERROR;
    u_strToUTF8WithSub(out, capacity, &bytes, result, resultLength, 0xFFFD, NULL, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR || bytes > capacity) return -bytes;
    if (U_FAILURE(status)) return INT32_MIN;
    return bytes;
}

const char *ahub_icu_version(void) {
    static char version[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo info;
    u_getVersion(info);
    u_versionToString(info, version);
    return version;
}

/* One BMP character through a transliterator; the character itself when the result is not one character. */
static UChar transliterate_one(UTransliterator *transliterator, UChar c) {
    UErrorCode status = U_ZERO_ERROR;
    UChar buffer[8] = {c};
    int32_t length = 1, limit = 1;
    utrans_transUChars(transliterator, buffer, &length, 8, 0, &limit, &status);
    return U_FAILURE(status) || length != 1 ? c : buffer[0];
}

uint32_t ahub_simplified_character(ahub_normalizer *normalizer, uint32_t c) {
    if (c > 0xFFFF) return c;
    if (!normalizer->traditional) {
        UErrorCode status = U_ZERO_ERROR;
        UChar id[32];
        u_uastrcpy(id, "Simplified-Traditional");
        normalizer->traditional = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
        if (U_FAILURE(status)) {
            normalizer->traditional = NULL;
            return c;
        }
    }
    UChar simple = transliterate_one(normalizer->simplify, (UChar)c);
    if (simple == c) return c;
    /* Only a character that is Traditional alone: its Simplified form goes back to it (計 → 计 → 計).
       俱 → 具 → 具 is a character Simplified text writes too, and stays. */
    return transliterate_one(normalizer->traditional, simple) == c ? simple : c;
}
