import com.google.zxing.*;
import com.google.zxing.client.result.*;
import java.nio.file.*;
import java.util.*;

// Reads each file given (one contact card's text, UTF-8) with ZXing's own result parser; prints JSON lines.
public class ReadCards {
  static String q(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
  static String arr(String[] a) {
    if (a == null) return "[]";
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < a.length; i++) { if (i > 0) b.append(','); b.append(q(a[i])); }
    return b.append(']').toString();
  }
  public static void main(String[] args) throws Exception {
    for (String file : args) {
      String text = new String(Files.readAllBytes(Paths.get(file)), "UTF-8");
      ParsedResult r = ResultParser.parseResult(new Result(text, null, null, BarcodeFormat.QR_CODE));
      if (!(r instanceof AddressBookParsedResult)) {
        System.out.println("{\"file\":" + q(file) + ",\"type\":" + q(r.getType().toString()) + "}");
        continue;
      }
      AddressBookParsedResult a = (AddressBookParsedResult) r;
      System.out.println("{\"file\":" + q(file) + ",\"type\":\"ADDRESSBOOK\",\"names\":" + arr(a.getNames())
        + ",\"org\":" + q(a.getOrg()) + ",\"title\":" + q(a.getTitle()) + ",\"emails\":" + arr(a.getEmails())
        + ",\"phones\":" + arr(a.getPhoneNumbers()) + ",\"urls\":" + arr(a.getURLs()) + "}");
    }
  }
}
