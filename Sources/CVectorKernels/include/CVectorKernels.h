#ifndef AHUB_VECTOR_KERNELS_H
#define AHUB_VECTOR_KERNELS_H

// Exact top-k scans over dense vectors, with the top-k kept during the scan (no score array).
// Kernels are picked at run time by CPU: AVX-512 (+VNNI for int8), AVX2+FMA, or portable C.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A bounded min-heap of (score, row): the best `capacity` seen so far. Owned by the caller.
typedef struct ahub_topk {
    int capacity;
    int count;
    float *scores;   // capacity slots
    int64_t *rows;   // capacity slots
} ahub_topk;

/// Scores rows [begin, end) of float32 data (row-major, `dim` per row) against `queries` (count
/// `query_count`, each `dim` floats) by dot product, offering each to `heaps[q]`. Rows whose bit is clear
/// in `mask` (bit r of mask[r/64]; NULL: all rows) are skipped before any arithmetic.
void ahub_scan_f32(const float *data, int dim, int64_t begin, int64_t end, const uint64_t *mask,
                   const float *queries, int query_count, ahub_topk *heaps);

/// The same over int8 data: the score of row r is scale[r] · query_scale[q] · Σ q_i·x_i, where the query
/// is int8 too. `row_sums[r]` = Σ x_i (the VNNI kernel needs it to multiply signed by signed).
void ahub_scan_i8(const int8_t *data, const float *scales, const int32_t *row_sums, int dim, int64_t begin,
                  int64_t end, const uint64_t *mask, const int8_t *queries, const float *query_scales,
                  int query_count, ahub_topk *heaps);

/// Which kernels this CPU runs: "avx512-vnni", "avx512", "avx2-fma" or "portable".
const char *ahub_vector_kernel(void);

/// Symmetric int8 quantization of one vector: codes[i] = round(x[i] · 127 / max|x|) (to nearest, ties to
/// even), *scale = max|x| / 127 (0 and all-zero codes for a zero vector). Returns Σ codes[i].
int32_t ahub_quantize_i8(const float *x, int dim, int8_t *codes, float *scale);

/// The dot product alone (for tests and re-scoring).
float ahub_dot_f32(const float *a, const float *b, int dim);
int32_t ahub_dot_i8(const int8_t *a, const int8_t *b, int dim);

/// The dot products of a float32 query with chosen rows (by index) of a float32 or an int8 matrix (each
/// int8 row times its scale): scoring a given set of rows, not a search. One of data_f32 / codes is set.
void ahub_dot_rows(const float *query, int dim, const float *data_f32, const int8_t *codes, const float *scales,
                   const int64_t *rows, int64_t count, float *out);

#ifdef __cplusplus
}
#endif

#endif
