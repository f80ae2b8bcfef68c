/// "did you mean": the known field a misspelt one most likely stands for.
extension ConfigDecoder {
    /// The known name closest to `name` by edit distance, if close enough to be a typo: at most 2 edits, and at
    /// most a third of the name, so that short names do not "suggest" unrelated ones (`x` is not a typo of `id`).
    static func suggestion(for name: String, among known: [String]) -> String? {
        let limit = min(2, max(1, name.count / 3))
        var best: (name: String, distance: Int)?
        // Lengths further apart than the limit cannot be close; skipping them also keeps a huge key cheap.
        for candidate in known where abs(candidate.count - name.count) <= limit {
            let distance = editDistance(name, candidate)
            if distance <= limit, distance < best?.distance ?? Int.max { best = (candidate, distance) }
        }
        return best?.name
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost
    /// one, so `intreval` is one edit from `interval`.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
