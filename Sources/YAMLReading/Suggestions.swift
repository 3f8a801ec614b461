/// "Did you mean" suggestions for misspelt keys and codes.
public enum Suggestions {
  /// The closest candidate to `word`, if one is close enough to be a plausible typo.
  public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
    let lowered = word.lowercased()
    var best: (String, Int)?
    for candidate in candidates {
      let distance = editDistance(lowered, candidate.lowercased())
      if let current = best, current.1 <= distance { continue }
      best = (candidate, distance)
    }
    guard let (candidate, distance) = best else { return nil }
    let limit = max(2, min(lowered.count, candidate.count) / 3)
    if distance <= limit { return candidate }
    // A prefix or a word contained in the candidate ("trap" → "upper-trapezius") is also a fair guess.
    if lowered.count >= 3, candidate.lowercased().contains(lowered) { return candidate }
    return nil
  }

  /// A parenthesised hint such as ` (did you mean "precautions"?)`, or an empty string.
  public static func hint(for word: String, in candidates: some Sequence<String>) -> String {
    guard let guess = closest(to: word, in: candidates) else { return "" }
    return " (did you mean \"\(guess)\"?)"
  }

  /// Levenshtein distance over Unicode scalars, with one row of memory.
  public static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
