#include "ModelKernels.h"

#include <immintrin.h>
#include <math.h>
#include <stddef.h>

// exp: x = k·ln2 + r with |r| ≤ ln2/2, e^r by Cephes' degree-6 polynomial (relative error about 1e-7),
// 2^k put straight into the exponent bits. Inputs clamped to where float neither overflows nor goes
// subnormal, which softmax (all inputs ≤ 0) never misses.
#define EXP_LO (-87.3f)
#define EXP_HI (88.3f)
#define LOG2E 1.44269504088896341f
#define LN2_HI 0.693359375f
#define LN2_LO (-2.12194440e-4f)
#define EXP_P0 1.9875691500e-4f
#define EXP_P1 1.3981999507e-3f
#define EXP_P2 8.3334519073e-3f
#define EXP_P3 4.1665795894e-2f
#define EXP_P4 1.6666665459e-1f
#define EXP_P5 5.0000001201e-1f

// erf: Eigen's rational approximation on [-4, 4] (odd numerator of degree 13 over an even denominator
// of degree 6); beyond ±4, erf is ±1 in float.
#define ERF_A1 (-1.60960333262415e-02f)
#define ERF_A3 (-2.95459980854025e-03f)
#define ERF_A5 (-7.34990630326855e-04f)
#define ERF_A7 (-5.69250639462346e-05f)
#define ERF_A9 (-2.10102402082508e-06f)
#define ERF_A11 2.77068142495902e-08f
#define ERF_A13 (-2.72614225801306e-10f)
#define ERF_B0 (-1.42647390514189e-02f)
#define ERF_B2 (-7.37332916720468e-03f)
#define ERF_B4 (-1.68282697438203e-03f)
#define ERF_B6 (-2.13374055278905e-04f)
#define ERF_B8 (-1.45660718464996e-05f)

float ahub_exp_approx(float x) {
    x = fminf(fmaxf(x, EXP_LO), EXP_HI);
    float k = nearbyintf(x * LOG2E);
    float r = x - k * LN2_HI;
    r = r - k * LN2_LO;
    float p = EXP_P0;
    p = p * r + EXP_P1;
    p = p * r + EXP_P2;
    p = p * r + EXP_P3;
    p = p * r + EXP_P4;
    p = p * r + EXP_P5;
    float y = p * r * r + r + 1.0f;
    return ldexpf(y, (int)k);
}

float ahub_erf_approx(float x) {
    x = fminf(fmaxf(x, -4.0f), 4.0f);
    float x2 = x * x;
    float p = ERF_A13;
    p = p * x2 + ERF_A11;
    p = p * x2 + ERF_A9;
    p = p * x2 + ERF_A7;
    p = p * x2 + ERF_A5;
    p = p * x2 + ERF_A3;
    p = p * x2 + ERF_A1;
    p = p * x;
    float q = ERF_B8;
    q = q * x2 + ERF_B6;
    q = q * x2 + ERF_B4;
    q = q * x2 + ERF_B2;
    q = q * x2 + ERF_B0;
    return p / q;
}

// ---- AVX2 + FMA -------------------------------------------------------------------------------

#define AVX2 __attribute__((target("avx2,fma")))

AVX2 static inline __m256 exp8(__m256 x) {
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(EXP_LO)), _mm256_set1_ps(EXP_HI));
    __m256 k = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(LOG2E)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(k, _mm256_set1_ps(LN2_HI), x);
    r = _mm256_fnmadd_ps(k, _mm256_set1_ps(LN2_LO), r);
    __m256 p = _mm256_set1_ps(EXP_P0);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(EXP_P1));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(EXP_P2));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(EXP_P3));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(EXP_P4));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(EXP_P5));
    __m256 y = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    __m256i scale = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(k), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(scale));
}

AVX2 static inline __m256 erf8(__m256 x) {
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-4.0f)), _mm256_set1_ps(4.0f));
    __m256 x2 = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(ERF_A13);
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(ERF_A11));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(ERF_A9));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(ERF_A7));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(ERF_A5));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(ERF_A3));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(ERF_A1));
    p = _mm256_mul_ps(p, x);
    __m256 q = _mm256_set1_ps(ERF_B8);
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(ERF_B6));
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(ERF_B4));
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(ERF_B2));
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(ERF_B0));
    return _mm256_div_ps(p, q);
}

AVX2 static inline float sum8(__m256 v) {
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_movehdup_ps(h));
    return _mm_cvtss_f32(h);
}

AVX2 static inline float max8(__m256 v) {
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    h = _mm_max_ss(h, _mm_movehdup_ps(h));
    return _mm_cvtss_f32(h);
}

AVX2 static void gelu_avx2(float *x, long n) {
    const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f), root = _mm256_set1_ps(0.70710678118654752f);
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        __m256 e = erf8(_mm256_mul_ps(v, root));
        _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_mul_ps(half, v), _mm256_add_ps(one, e)));
    }
    for (; i < n; i++) x[i] = 0.5f * x[i] * (1.0f + ahub_erf_approx(x[i] * 0.70710678118654752f));
}

AVX2 static void softmax_avx2(float *x, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
        float *row = x + (long)r * cols;
        int i = 0;
        __m256 top8 = _mm256_set1_ps(-INFINITY);
        for (; i + 8 <= cols; i += 8) top8 = _mm256_max_ps(top8, _mm256_loadu_ps(row + i));
        float top = max8(top8);
        for (; i < cols; i++) top = fmaxf(top, row[i]);
        __m256 shift = _mm256_set1_ps(top), total8 = _mm256_setzero_ps();
        for (i = 0; i + 8 <= cols; i += 8) {
            __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(row + i), shift));
            _mm256_storeu_ps(row + i, e);
            total8 = _mm256_add_ps(total8, e);
        }
        float total = sum8(total8);
        for (; i < cols; i++) { row[i] = ahub_exp_approx(row[i] - top); total += row[i]; }
        __m256 inverse = _mm256_set1_ps(1.0f / total);
        for (i = 0; i + 8 <= cols; i += 8) _mm256_storeu_ps(row + i, _mm256_mul_ps(_mm256_loadu_ps(row + i), inverse));
        for (; i < cols; i++) row[i] *= 1.0f / total;
    }
}

AVX2 static void layer_norm_avx2(float *x, const float *residual, int rows, int width, const float *gamma,
                                 const float *beta, float eps) {
    for (int r = 0; r < rows; r++) {
        float *row = x + (long)r * width;
        const float *res = residual ? residual + (long)r * width : NULL;
        __m256 sum = _mm256_setzero_ps();
        int i = 0;
        for (; i + 8 <= width; i += 8) {
            __m256 v = _mm256_loadu_ps(row + i);
            if (res) { v = _mm256_add_ps(v, _mm256_loadu_ps(res + i)); _mm256_storeu_ps(row + i, v); }
            sum = _mm256_add_ps(sum, v);
        }
        float total = sum8(sum);
        for (; i < width; i++) { if (res) row[i] += res[i]; total += row[i]; }
        float mean = total / (float)width;
        __m256 m = _mm256_set1_ps(mean), squares = _mm256_setzero_ps();
        for (i = 0; i + 8 <= width; i += 8) {
            __m256 d = _mm256_sub_ps(_mm256_loadu_ps(row + i), m);
            squares = _mm256_fmadd_ps(d, d, squares);
        }
        float variance = sum8(squares);
        for (; i < width; i++) { float d = row[i] - mean; variance += d * d; }
        float inverse = 1.0f / sqrtf(variance / (float)width + eps);
        __m256 inv = _mm256_set1_ps(inverse);
        for (i = 0; i + 8 <= width; i += 8) {
            __m256 v = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(row + i), m), inv);
            _mm256_storeu_ps(row + i, _mm256_fmadd_ps(v, _mm256_loadu_ps(gamma + i), _mm256_loadu_ps(beta + i)));
        }
        for (; i < width; i++) row[i] = (row[i] - mean) * inverse * gamma[i] + beta[i];
    }
}

// ---- portable ---------------------------------------------------------------------------------

static void gelu_portable(float *x, long n) {
    for (long i = 0; i < n; i++) x[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
}

static void softmax_portable(float *x, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
        float *row = x + (long)r * cols;
        float top = -INFINITY, total = 0;
        for (int i = 0; i < cols; i++) top = fmaxf(top, row[i]);
        for (int i = 0; i < cols; i++) { row[i] = expf(row[i] - top); total += row[i]; }
        for (int i = 0; i < cols; i++) row[i] /= total;
    }
}

static void layer_norm_portable(float *x, const float *residual, int rows, int width, const float *gamma,
                                const float *beta, float eps) {
    for (int r = 0; r < rows; r++) {
        float *row = x + (long)r * width;
        float mean = 0, variance = 0;
        for (int i = 0; i < width; i++) { if (residual) row[i] += residual[(long)r * width + i]; mean += row[i]; }
        mean /= (float)width;
        for (int i = 0; i < width; i++) { float d = row[i] - mean; variance += d * d; }
        float inverse = 1.0f / sqrtf(variance / (float)width + eps);
        for (int i = 0; i < width; i++) row[i] = (row[i] - mean) * inverse * gamma[i] + beta[i];
    }
}

// ---- dispatch ---------------------------------------------------------------------------------

static int has_avx2(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return cached;
}

const char *ahub_model_kernels(void) { return has_avx2() ? "avx2-fma" : "portable"; }

void ahub_gelu(float *x, long n) { has_avx2() ? gelu_avx2(x, n) : gelu_portable(x, n); }

void ahub_softmax_rows(float *x, int rows, int cols) {
    has_avx2() ? softmax_avx2(x, rows, cols) : softmax_portable(x, rows, cols);
}

void ahub_add_layer_norm(float *x, const float *residual, int rows, int width, const float *gamma,
                         const float *beta, float eps) {
    if (has_avx2()) layer_norm_avx2(x, residual, rows, width, gamma, beta, eps);
    else layer_norm_portable(x, residual, rows, width, gamma, beta, eps);
}
