/// "Did you mean …?" — the closest known name by edit distance (with transpositions, so `lsos` → `loss`).
public enum Suggestions {
    /// The closest candidate within a small distance (at most 2, about a third of the name's length, and
    /// less than the whole name — one-letter names get no guesses), or nil.
    public static func closest(to name: String, among candidates: [String]) -> String? {
        // A name longer than any a person types gets no guess: the distance costs length × length.
        guard name.utf8.count <= 64 else { return nil }
        let limit = min(2, max(1, (name.count + 2) / 3))
        var best: (String, Int)? = nil
        // Names whose lengths differ by more than the limit cannot be within it: skip them without measuring.
        for c in Set(candidates) where c != name && abs(c.count - name.count) <= limit {
            let d = distance(name, c)
            if d <= limit, d < name.count, best.map({ d < $0.1 || (d == $0.1 && c < $0.0) }) ?? true { best = (c, d) }
        }
        return best?.0
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
