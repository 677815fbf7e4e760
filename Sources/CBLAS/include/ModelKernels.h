#ifndef AHUB_MODEL_KERNELS_H
#define AHUB_MODEL_KERNELS_H

// The element-wise parts of the transformer forward pass (everything but the matrix products), with
// AVX2+FMA versions picked at run time and portable C (libm) otherwise. In place, row-major.

#ifdef __cplusplus
extern "C" {
#endif

/// x = GELU(x) = x/2 · (1 + erf(x/√2)) over n floats.
void ahub_gelu(float *x, long n);

/// Each of the `rows` rows of `cols` floats becomes its softmax.
void ahub_softmax_rows(float *x, int rows, int cols);

/// x = LayerNorm(x + residual) row by row over rows of `width` floats, with gamma, beta and eps.
/// `residual` may be NULL (normalize x alone).
void ahub_add_layer_norm(float *x, const float *residual, int rows, int width, const float *gamma,
                         const float *beta, float eps);

/// The same exp and erf the AVX2 kernels use, one value at a time (for tests).
float ahub_exp_approx(float x);
float ahub_erf_approx(float x);

/// "avx2-fma" or "portable": which versions run on this CPU.
const char *ahub_model_kernels(void);

#ifdef __cplusplus
}
#endif

#endif
