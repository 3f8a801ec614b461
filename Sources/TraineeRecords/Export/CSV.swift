/// CSV that opens safely in a spreadsheet: RFC 4180 quoting, and formula injection neutralised.
public enum CSV {
  /// One field: a value starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with an apostrophe so a
  /// spreadsheet shows it as text instead of running it; a field with a comma, quote, CR or LF is quoted
  /// with its quotes doubled.
  public static func field(_ value: String) -> String {
    var text = value
    if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
      text = "'" + text
    }
    if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
      return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return text
  }

  /// A whole record, terminated by CRLF as RFC 4180 specifies.
  public static func row(_ fields: [String]) -> String {
    fields.map(field).joined(separator: ",") + "\r\n"
  }

  /// A number for a score column: no sign-leading text, so it needs no neutralising.
  public static func number(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
  }
}
