#ifndef AHUB_CBLAS_H
#define AHUB_CBLAS_H

// The one BLAS routine the embedder needs, over Debian's OpenBLAS. Row-major throughout.
// ModelKernels.h holds the rest of the forward pass.
#include "ModelKernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/// C[m×n] = alpha · A[m×k] · op(B) + beta · C, where op(B) is B[k×n], or Bᵀ with B stored [n×k] when
/// `transpose_b` is nonzero. Leading dimensions are row strides in floats.
void ahub_sgemm(int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
                const float *b, int ldb, float beta, float *c, int ldc);

/// Threads OpenBLAS may use inside one call (1: callers parallelize across texts instead).
void ahub_blas_set_threads(int threads);

/// OpenBLAS's build configuration and the kernel chosen for this CPU.
const char *ahub_blas_config(void);

#ifdef __cplusplus
}
#endif

#endif
