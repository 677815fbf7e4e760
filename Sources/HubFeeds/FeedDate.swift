import HubCore

/// Reads the dates feeds write and returns the calendar day, `YYYY-MM-DD`.
///
/// The day is taken as the source wrote it, in the source's own time zone: arXiv's
/// `Fri, 23 Aug 2024 00:00:00 -0400` is the 23rd, the day arXiv announced, even though it is the 23rd at
/// 04:00 in UTC. Converting would move late-evening announcements to the next day.
///
/// Accepted: ISO 8601 (`2017-07-27T08:18:33Z`, `2026-08-20T00:00:00-04:00`, `2026-06-16`), RFC 822/1123
/// (`Fri, 12 Jun 2026 00:00:00 -0400`, weekday optional, two-digit years taken as 19xx/20xx), slashes
/// (`2026/06/16`), compact (`20260616`) and written-out dates (`11 June 2026`, `June 11, 2026`).
enum FeedDate {
    static func day(_ text: String?) -> String? {
        guard let text else { return nil }
        let bytes = Array(text.utf8.prefix(128))
        var start = 0
        while start < bytes.count, bytes[start] == 0x20 || (bytes[start] >= 0x09 && bytes[start] <= 0x0D) {
            start += 1
        }
        let s = Array(bytes[start...])
        guard !s.isEmpty else { return nil }
        if let day = numeric(s) { return day }
        return written(String(decoding: s, as: UTF8.self))
    }

    /// `YYYY-MM-DD…`, `YYYY/M/D`, `YYYYMMDD`.
    private static func numeric(_ s: [UInt8]) -> String? {
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= s.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                guard isDigit(s[i]) else { return nil }
                v = v * 10 + Int(s[i] - 0x30)
            }
            return v
        }
        guard let year = number(0, 4) else { return nil }
        if s.count >= 8, let month = number(4, 2), let day = number(6, 2), s.count == 8 || !isDigit(s[8]) {
            return format(year, month, day)
        }
        guard s.count > 5, s[4] == 0x2D || s[4] == 0x2F else { return nil }
        let separator = s[4]
        var i = 5
        var parts: [Int] = []
        while parts.count < 2 {
            let from = i
            var v = 0
            while i < s.count, i - from < 2, isDigit(s[i]) {
                v = v * 10 + Int(s[i] - 0x30)
                i += 1
            }
            guard i > from else { return nil }
            parts.append(v)
            if parts.count == 1 {
                guard i < s.count, s[i] == separator else { return nil }
                i += 1
            }
        }
        // What follows the day must not be another digit ("2026-06-161").
        if i < s.count, isDigit(s[i]) { return nil }
        return format(year, parts[0], parts[1])
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `Fri, 12 Jun 2026 00:00:00 -0400`, `12 June 2026`, `June 12, 2026`.
    private static func written(_ text: String) -> String? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" })
        var month: Int?
        var day: Int?
        var year: Int?
        for token in tokens.prefix(6) {
            if token.contains(":") { break }  // the time: everything needed comes before it
            let lower = token.lowercased()
            if month == nil, lower.count >= 3, let m = months.firstIndex(of: String(lower.prefix(3))),
                lower.allSatisfy({ $0.isLetter || $0 == "." })
            {
                month = m + 1
            } else if let n = Int(lower) {
                if lower.count <= 2, day == nil, year == nil || month != nil {
                    day = n
                } else if lower.count == 4 || (lower.count == 2 && day != nil) {
                    year = lower.count == 2 ? (n < 70 ? 2000 + n : 1900 + n) : n
                }
            }
        }
        guard let month, let day, let year else { return nil }
        return format(year, month, day)
    }

    private static func format(_ year: Int, _ month: Int, _ day: Int) -> String? {
        guard (1000...9999).contains(year), CalendarDate.isValid(year: year, month: month, day: day) else { return nil }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(year)-\(two(month))-\(two(day))"
    }
}
