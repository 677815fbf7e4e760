import Foundation

/// Runs `python3` with `arguments` for a comparison figure and returns the number it printed. OpenBLAS's
/// tuning variables are unset, so numpy runs as it does out of the box.
public func pythonNumber(_ arguments: [String]) throws -> Double {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["OPENBLAS_CORETYPE"] = nil
    environment["OPENBLAS_L2_SIZE"] = nil
    process.environment = environment
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard let number = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
        throw NSError(domain: "python", code: 1, userInfo: [NSLocalizedDescriptionKey: "python printed: \(text)"])
    }
    return number
}
