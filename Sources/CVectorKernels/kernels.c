#include "CVectorKernels.h"

#include <immintrin.h>
#include <math.h>
#include <string.h>

// ---- the bounded heap -------------------------------------------------------------------------

static inline void heap_offer(ahub_topk *h, float score, int64_t row) {
    if (h->count < h->capacity) {
        int i = h->count++;
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (h->scores[parent] <= score) break;
            h->scores[i] = h->scores[parent];
            h->rows[i] = h->rows[parent];
            i = parent;
        }
        h->scores[i] = score;
        h->rows[i] = row;
        return;
    }
    if (score <= h->scores[0]) return;
    int i = 0, n = h->count;
    for (;;) {
        int left = 2 * i + 1, right = left + 1, smallest = i;
        float s = score;
        if (left < n && h->scores[left] < s) { smallest = left; s = h->scores[left]; }
        if (right < n && h->scores[right] < s) { smallest = right; }
        if (smallest == i) break;
        h->scores[i] = h->scores[smallest];
        h->rows[i] = h->rows[smallest];
        i = smallest;
    }
    h->scores[i] = score;
    h->rows[i] = row;
}

static inline int allowed(const uint64_t *mask, int64_t r) {
    return !mask || ((mask[r >> 6] >> (r & 63)) & 1);
}

// ---- portable ---------------------------------------------------------------------------------

static float dot_f32_portable(const float *a, const float *b, int dim) {
    float s = 0;
    for (int i = 0; i < dim; i++) s += a[i] * b[i];
    return s;
}

static int32_t dot_i8_portable(const int8_t *a, const int8_t *b, int dim) {
    int32_t s = 0;
    for (int i = 0; i < dim; i++) s += (int32_t)a[i] * (int32_t)b[i];
    return s;
}

// ---- AVX2 + FMA -------------------------------------------------------------------------------

__attribute__((target("avx2,fma"))) static float dot_f32_avx2(const float *a, const float *b, int dim) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    int i = 0;
    for (; i + 16 <= dim; i += 16) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    }
    s0 = _mm256_add_ps(s0, s1);
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(s0), _mm256_extractf128_ps(s0, 1));
    h = _mm_hadd_ps(h, h);
    h = _mm_hadd_ps(h, h);
    float s = _mm_cvtss_f32(h);
    for (; i < dim; i++) s += a[i] * b[i];
    return s;
}

__attribute__((target("avx2"))) static int32_t dot_i8_avx2(const int8_t *a, const int8_t *b, int dim) {
    __m256i acc = _mm256_setzero_si256();
    int i = 0;
    for (; i + 16 <= dim; i += 16) {
        __m256i x = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(a + i)));
        __m256i y = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(b + i)));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(x, y));
    }
    __m128i h = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    h = _mm_hadd_epi32(h, h);
    h = _mm_hadd_epi32(h, h);
    int32_t s = _mm_cvtsi128_si32(h);
    for (; i < dim; i++) s += (int32_t)a[i] * (int32_t)b[i];
    return s;
}

/// Codes and their sum for x · inverse; `lrintf` rounds to nearest, ties to even, as cvtps2dq does.
static int32_t quantize_portable(const float *x, int dim, float inverse, int8_t *codes) {
    int32_t sum = 0;
    for (int i = 0; i < dim; i++) {
        long c = lrintf(x[i] * inverse);
        c = c > 127 ? 127 : c < -127 ? -127 : c;
        codes[i] = (int8_t)c;
        sum += (int32_t)c;
    }
    return sum;
}

static float max_abs_portable(const float *x, int dim) {
    float top = 0;
    for (int i = 0; i < dim; i++) top = fmaxf(top, fabsf(x[i]));
    return top;
}

__attribute__((target("avx2"))) static float max_abs_avx2(const float *x, int dim) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 top = _mm256_setzero_ps();
    int i = 0;
    for (; i + 8 <= dim; i += 8) top = _mm256_max_ps(top, _mm256_andnot_ps(sign, _mm256_loadu_ps(x + i)));
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(top), _mm256_extractf128_ps(top, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    h = _mm_max_ss(h, _mm_movehdup_ps(h));
    float t = _mm_cvtss_f32(h);
    for (; i < dim; i++) t = fmaxf(t, fabsf(x[i]));
    return t;
}

/// 32 floats at a time: scale, round (cvtps2dq: nearest, ties to even), clamp, narrow to bytes in order.
__attribute__((target("avx2"))) static int32_t quantize_avx2(const float *x, int dim, float inverse, int8_t *codes) {
    const __m256 k = _mm256_set1_ps(inverse);
    const __m256i lo = _mm256_set1_epi32(-127), hi = _mm256_set1_epi32(127);
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    __m256i sum = _mm256_setzero_si256();
    int i = 0;
    for (; i + 32 <= dim; i += 32) {
        __m256i v[4];
        for (int j = 0; j < 4; j++) {
            v[j] = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + i + 8 * j), k));
            v[j] = _mm256_min_epi32(_mm256_max_epi32(v[j], lo), hi);
            sum = _mm256_add_epi32(sum, v[j]);
        }
        __m256i words = _mm256_packs_epi32(v[0], v[1]), words2 = _mm256_packs_epi32(v[2], v[3]);
        __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_packs_epi16(words, words2), order);
        _mm256_storeu_si256((__m256i *)(codes + i), bytes);
    }
    __m128i h = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
    h = _mm_hadd_epi32(h, h);
    h = _mm_hadd_epi32(h, h);
    return _mm_cvtsi128_si32(h) + quantize_portable(x + i, dim - i, inverse, codes + i);
}

// ---- AVX-512 ----------------------------------------------------------------------------------

__attribute__((target("avx512f"))) static float dot_f32_avx512(const float *a, const float *b, int dim) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    int i = 0;
    for (; i + 32 <= dim; i += 32) {
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
        s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
    }
    for (; i + 16 <= dim; i += 16) s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    float s = _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
    for (; i < dim; i++) s += a[i] * b[i];
    return s;
}

/// Σ (q+128)·x over unsigned q+128 and signed x with VPDPBUSD; the caller subtracts 128·Σx.
__attribute__((target("avx512f,avx512bw,avx512vnni"))) static int32_t dot_u8i8_vnni(const uint8_t *u, const int8_t *x, int dim) {
    __m512i acc = _mm512_setzero_si512();
    int i = 0;
    for (; i + 64 <= dim; i += 64) {
        acc = _mm512_dpbusd_epi32(acc, _mm512_loadu_si512(u + i), _mm512_loadu_si512(x + i));
    }
    if (i < dim) {
        __mmask64 m = (dim - i) >= 64 ? ~0ULL : ((1ULL << (dim - i)) - 1);
        acc = _mm512_dpbusd_epi32(acc, _mm512_maskz_loadu_epi8(m, u + i), _mm512_maskz_loadu_epi8(m, x + i));
    }
    return _mm512_reduce_add_epi32(acc);
}

// ---- dispatch ---------------------------------------------------------------------------------

enum { LEVEL_PORTABLE, LEVEL_AVX2, LEVEL_AVX512, LEVEL_VNNI };

static int level(void) {
    static int cached = -1;
    if (cached >= 0) return cached;
    __builtin_cpu_init();
    int l = LEVEL_PORTABLE;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) l = LEVEL_AVX2;
    if (__builtin_cpu_supports("avx512f")) l = LEVEL_AVX512;
    if (l == LEVEL_AVX512 && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vnni")) l = LEVEL_VNNI;
    cached = l;
    return l;
}

const char *ahub_vector_kernel(void) {
    switch (level()) {
    case LEVEL_VNNI: return "avx512-vnni";
    case LEVEL_AVX512: return "avx512";
    case LEVEL_AVX2: return "avx2-fma";
    default: return "portable";
    }
}

float ahub_dot_f32(const float *a, const float *b, int dim) {
    switch (level()) {
    case LEVEL_VNNI:
    case LEVEL_AVX512: return dot_f32_avx512(a, b, dim);
    case LEVEL_AVX2: return dot_f32_avx2(a, b, dim);
    default: return dot_f32_portable(a, b, dim);
    }
}

int32_t ahub_dot_i8(const int8_t *a, const int8_t *b, int dim) {
    if (level() >= LEVEL_AVX2) return dot_i8_avx2(a, b, dim);
    return dot_i8_portable(a, b, dim);
}

int32_t ahub_quantize_i8(const float *x, int dim, int8_t *codes, float *scale) {
    int avx2 = level() >= LEVEL_AVX2;
    float top = avx2 ? max_abs_avx2(x, dim) : max_abs_portable(x, dim);
    *scale = top / 127;
    float inverse = top > 0 ? 127 / top : 0;
    return avx2 ? quantize_avx2(x, dim, inverse, codes) : quantize_portable(x, dim, inverse, codes);
}

typedef float (*dot_f32_fn)(const float *, const float *, int);

void ahub_scan_f32(const float *data, int dim, int64_t begin, int64_t end, const uint64_t *mask,
                   const float *queries, int query_count, ahub_topk *heaps) {
    int l = level();
    dot_f32_fn dot = l >= LEVEL_AVX512 ? dot_f32_avx512 : l == LEVEL_AVX2 ? dot_f32_avx2 : dot_f32_portable;
    for (int64_t r = begin; r < end; r++) {
        if (!allowed(mask, r)) continue;
        const float *row = data + r * (int64_t)dim;
        for (int q = 0; q < query_count; q++) heap_offer(&heaps[q], dot(row, queries + (int64_t)q * dim, dim), r);
    }
}

void ahub_scan_i8(const int8_t *data, const float *scales, const int32_t *row_sums, int dim, int64_t begin,
                  int64_t end, const uint64_t *mask, const int8_t *queries, const float *query_scales,
                  int query_count, ahub_topk *heaps) {
    if (level() == LEVEL_VNNI) {
        // Shift each query to unsigned once: (q + 128) as uint8.
        uint8_t shifted[query_count > 0 ? query_count : 1][dim];
        for (int q = 0; q < query_count; q++)
            for (int i = 0; i < dim; i++) shifted[q][i] = (uint8_t)((int)queries[(int64_t)q * dim + i] + 128);
        for (int64_t r = begin; r < end; r++) {
            if (!allowed(mask, r)) continue;
            const int8_t *row = data + r * (int64_t)dim;
            int32_t correction = 128 * row_sums[r];
            for (int q = 0; q < query_count; q++) {
                int32_t dot = dot_u8i8_vnni(shifted[q], row, dim) - correction;
                heap_offer(&heaps[q], (float)dot * scales[r] * query_scales[q], r);
            }
        }
        return;
    }
    int avx2 = level() >= LEVEL_AVX2;
    for (int64_t r = begin; r < end; r++) {
        if (!allowed(mask, r)) continue;
        const int8_t *row = data + r * (int64_t)dim;
        for (int q = 0; q < query_count; q++) {
            const int8_t *query = queries + (int64_t)q * dim;
            int32_t dot = avx2 ? dot_i8_avx2(row, query, dim) : dot_i8_portable(row, query, dim);
            heap_offer(&heaps[q], (float)dot * scales[r] * query_scales[q], r);
        }
    }
}

static float dot_f32_i8_portable(const float *a, const int8_t *b, int dim) {
    float sum = 0;
    for (int i = 0; i < dim; i++) sum += a[i] * (float)b[i];
    return sum;
}

__attribute__((target("avx2,fma"))) static float dot_f32_i8_avx2(const float *a, const int8_t *b, int dim) {
    __m256 acc = _mm256_setzero_ps();
    int i = 0;
    for (; i + 8 <= dim; i += 8) {
        __m128i bytes = _mm_loadl_epi64((const __m128i *)(b + i));
        __m256 x = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(bytes));
        acc = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), x, acc);
    }
    __m128 lo = _mm256_castps256_ps128(acc), hi = _mm256_extractf128_ps(acc, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_hadd_ps(lo, lo);
    lo = _mm_hadd_ps(lo, lo);
    float sum = _mm_cvtss_f32(lo);
    for (; i < dim; i++) sum += a[i] * (float)b[i];
    return sum;
}

void ahub_dot_rows(const float *query, int dim, const float *data_f32, const int8_t *codes, const float *scales,
                   const int64_t *rows, int64_t count, float *out) {
    int avx2 = level() >= LEVEL_AVX2;
    for (int64_t k = 0; k < count; k++) {
        int64_t r = rows[k];
        if (data_f32) {
            out[k] = avx2 ? dot_f32_avx2(query, data_f32 + r * dim, dim) : dot_f32_portable(query, data_f32 + r * dim, dim);
        } else {
            const int8_t *row = codes + r * dim;
            out[k] = scales[r] * (avx2 ? dot_f32_i8_avx2(query, row, dim) : dot_f32_i8_portable(query, row, dim));
        }
    }
}
