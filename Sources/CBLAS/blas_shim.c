#include "CBLAS.h"

#include <cblas.h>

void ahub_sgemm(int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
                const float *b, int ldb, float beta, float *c, int ldc) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, transpose_b ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb,
                beta, c, ldc);
}

void ahub_blas_set_threads(int threads) { openblas_set_num_threads(threads); }

const char *ahub_blas_config(void) { return openblas_get_config(); }
