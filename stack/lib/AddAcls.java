// Adds many ACL sets in one JVM and one CreateAcls request: kafka-acls takes one set per run,
// and a JVM start per set made a secured `stack/stack up` wait minutes on a busy machine.
// Reads kafka-acls argument lines (what `node dist/pipeline/admin/main.js acls` prints) on
// stdin; understands only the options those lines use. Run by stack/lib/kafka-security.sh as
//   java -cp 'KAFKA_LIBS/*' AddAcls.java BOOTSTRAP CLIENT_PROPERTIES < lines
import java.io.BufferedReader;
import java.io.FileReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

public class AddAcls {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: AddAcls BOOTSTRAP CLIENT_PROPERTIES < kafka-acls argument lines");
      System.exit(2);
    }
    Properties props = new Properties();
    try (FileReader r = new FileReader(args[1])) {
      props.load(r);
    }
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    List<AclBinding> bindings = new ArrayList<>();
    int sets = 0;
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.isBlank()) continue;
      bindings.addAll(parse(line.trim().split("\\s+")));
      sets++;
    }
    try (Admin admin = Admin.create(props)) {
      admin.createAcls(bindings).all().get(60, TimeUnit.SECONDS);
    }
    System.out.println(sets + " ACL sets, " + bindings.size() + " bindings added");
  }

  static AclOperation operation(String name) {
    AclOperation op = AclOperation.fromString(name.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
    if (op == AclOperation.UNKNOWN || op == AclOperation.ANY) throw new IllegalArgumentException("unknown ACL operation " + name);
    return op;
  }

  static List<AclBinding> parse(String[] a) {
    String principal = null;
    PatternType pattern = PatternType.LITERAL;
    List<AclOperation> ops = new ArrayList<>();
    List<ResourcePattern> resources = new ArrayList<>();
    List<String[]> named = new ArrayList<>();
    for (int i = 0; i < a.length; i++) {
      switch (a[i]) {
        case "--allow-principal" -> principal = a[++i];
        // kafka-acls spells them IdempotentWrite, the enum IDEMPOTENT_WRITE.
        case "--operation" -> ops.add(operation(a[++i]));
        case "--topic", "--group", "--transactional-id" -> named.add(new String[] {a[i], a[++i]});
        case "--cluster" -> named.add(new String[] {"--cluster", "kafka-cluster"});
        case "--resource-pattern-type" -> pattern = PatternType.fromString(a[++i].toUpperCase(Locale.ROOT));
        default -> throw new IllegalArgumentException("unknown kafka-acls option " + a[i]);
      }
    }
    if (principal == null || ops.isEmpty() || named.isEmpty()) throw new IllegalArgumentException("incomplete ACL line: " + String.join(" ", a));
    for (String[] n : named) {
      ResourceType type = switch (n[0]) {
        case "--topic" -> ResourceType.TOPIC;
        case "--group" -> ResourceType.GROUP;
        case "--transactional-id" -> ResourceType.TRANSACTIONAL_ID;
        default -> ResourceType.CLUSTER;
      };
      resources.add(new ResourcePattern(type, n[1], type == ResourceType.CLUSTER ? PatternType.LITERAL : pattern));
    }
    List<AclBinding> out = new ArrayList<>();
    for (ResourcePattern r : resources) {
      for (AclOperation op : ops) out.add(new AclBinding(r, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
    }
    return out;
  }
}
