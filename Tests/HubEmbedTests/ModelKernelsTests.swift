import CBLAS
import Foundation
import Testing

/// The C kernels of the forward pass (AVX2 polynomial exp and erf where the CPU has AVX2) against libm.
@Suite struct ModelKernelsTests {
    /// Evenly spaced points over a range, ends included.
    func grid(_ low: Float, _ high: Float, _ count: Int) -> [Float] {
        (0..<count).map { low + (high - low) * Float($0) / Float(count - 1) }
    }

    @Test func expIsWithinAFewUlpOfLibm() {
        var worst: Float = 0
        for x in grid(-87, 88, 200_001) {
            let exact = expf(x)
            worst = max(worst, abs(ahub_exp_approx(x) - exact) / exact)
        }
        #expect(worst < 5e-7, "relative error \(worst)")
        #expect(ahub_exp_approx(-1000) >= 0 && ahub_exp_approx(-1000) < 1e-37)
    }

    @Test func erfIsWithinAFewUlpOfLibm() {
        var worst: Float = 0
        for x in grid(-6, 6, 200_001) { worst = max(worst, abs(ahub_erf_approx(x) - erff(x))) }
        #expect(worst < 5e-7, "absolute error \(worst)")
        #expect(ahub_erf_approx(10) == 1 && ahub_erf_approx(-10) == -1)
    }

    @Test func geluMatchesItsDefinition() {
        // 1,003 values: whole vectors of 8 and a tail.
        var x = grid(-8, 8, 1_003)
        let expected = x.map { 0.5 * $0 * (1 + erff($0 / Float(2).squareRoot())) }
        x.withUnsafeMutableBufferPointer { ahub_gelu($0.baseAddress!, $0.count) }
        for (got, want) in zip(x, expected) { #expect(abs(got - want) <= 1e-6 * max(1, abs(want))) }
    }

    @Test func softmaxRowsSumToOneAndMatchLibm() {
        let rows = 3, cols = 37
        var x = (0..<(rows * cols)).map { Float(($0 * 7919) % 101) / 7 - 6 }
        x[5] = -Float.infinity  // a masked score
        var expected = x
        for r in 0..<rows {
            let row = Array(expected[(r * cols)..<((r + 1) * cols)])
            let top = row.max()!
            let total = row.reduce(0) { $0 + expf($1 - top) }
            for c in 0..<cols { expected[r * cols + c] = expf(row[c] - top) / total }
        }
        x.withUnsafeMutableBufferPointer { ahub_softmax_rows($0.baseAddress!, Int32(rows), Int32(cols)) }
        for r in 0..<rows { #expect(abs(x[(r * cols)..<((r + 1) * cols)].reduce(0, +) - 1) < 1e-5) }
        for (got, want) in zip(x, expected) { #expect(abs(got - want) < 1e-6) }
        #expect(x[5] < 1e-30)
    }

    @Test func layerNormAddsTheResidualFirst() {
        let rows = 2, width = 19
        var x = (0..<(rows * width)).map { Float($0 % 5) - 1.5 }
        let residual = (0..<(rows * width)).map { Float($0 % 3) * 0.25 }
        let gamma = (0..<width).map { 1 + Float($0) / 10 }, beta = (0..<width).map { Float($0) / 100 }
        var expected = [Float]()
        for r in 0..<rows {
            let row = (0..<width).map { x[r * width + $0] + residual[r * width + $0] }
            let mean = row.reduce(0, +) / Float(width)
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(width)
            expected += (0..<width).map { (row[$0] - mean) / (variance + 1e-12).squareRoot() * gamma[$0] + beta[$0] }
        }
        x.withUnsafeMutableBufferPointer { x in
            residual.withUnsafeBufferPointer { r in
                ahub_add_layer_norm(x.baseAddress!, r.baseAddress!, Int32(rows), Int32(width), gamma, beta, 1e-12)
            }
        }
        for (got, want) in zip(x, expected) { #expect(abs(got - want) < 1e-5) }
    }
}
