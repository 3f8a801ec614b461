/// CSV that opens safely in a spreadsheet: RFC 4180 quoting, and formula injection neutralised.
public enum CSV {
  /// One field: a value starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with an apostrophe so a
  /// spreadsheet shows it as text instead of running it; a field with a comma, quote, CR or LF is quoted
  /// with its quotes doubled.
  public static func field(_ value: String) -> String {
    // Scan bytes, not Characters: exports run over millions of fields, and every byte tested here is ASCII.
    let utf8 = value.utf8
    var text = value
    if let first = utf8.first, first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
      || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
    {
      text = "'" + value
    }
    let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
    guard needsQuotes else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
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
