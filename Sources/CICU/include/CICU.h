#ifndef AHUB_CICU_H
#define AHUB_CICU_H

// A narrow C surface over the system ICU. No ICU type crosses it: Foundation on
// Linux carries its own ICU module, and the system headers would clash with it.

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Word-break rule status classes, as ICU's UWordBreak ranges.
enum {
    AHUB_WORD_NONE = 0,     // spaces, punctuation, symbols
    AHUB_WORD_NUMBER = 100,
    AHUB_WORD_LETTER = 200,
    AHUB_WORD_KANA = 300,
    AHUB_WORD_IDEO = 400,   // Han words, found by ICU's dictionary
};

typedef struct ahub_segmenter ahub_segmenter;

/// Opens a word segmenter (ICU word break iterator, dictionary-based for CJK).
/// Not thread-safe: one per thread or per connection. Returns NULL and fills
/// `error` when ICU cannot open it.
ahub_segmenter *ahub_segmenter_open(char *error, int32_t errorCapacity);
void ahub_segmenter_close(ahub_segmenter *segmenter);

/// Points the segmenter at UTF-8 text; it must stay valid until the next call.
/// Offsets reported are byte offsets into this text; invalid bytes are skipped
/// over as U+FFFD by ICU.
int32_t ahub_segmenter_set_text(ahub_segmenter *segmenter, const char *text, int32_t length);

/// Writes up to `capacity` word segments as triples (start, end, status) into
/// `out`, skipping segments whose status is AHUB_WORD_NONE. Returns how many
/// triples were written; 0 means the text is done.
int32_t ahub_segmenter_next(ahub_segmenter *segmenter, int32_t *out, int32_t capacity);

typedef struct ahub_normalizer ahub_normalizer;

/// NFKC case folding, accents off Latin and Greek letters, then Traditional to Simplified Chinese
/// for text holding Han.
/// Not thread-safe (ICU transliterators are not).
ahub_normalizer *ahub_normalizer_open(char *error, int32_t errorCapacity);
void ahub_normalizer_close(ahub_normalizer *normalizer);

/// Normalizes UTF-8 `text` into `out`. Returns the byte length written, or
/// minus the length needed when `capacity` is too small, or INT32_MIN on an
/// ICU failure.
int32_t ahub_normalize(ahub_normalizer *normalizer, const char *text, int32_t length, char *out, int32_t capacity);

/* A CJK character's Simplified form when the character is written in Traditional text alone (計 → 计),
   else the character itself (俱 stays: Simplified text writes it too). */
uint32_t ahub_simplified_character(ahub_normalizer *normalizer, uint32_t c);

/// The ICU version string, for `ahub stats`.
const char *ahub_icu_version(void);

#ifdef __cplusplus
}
#endif

#endif
