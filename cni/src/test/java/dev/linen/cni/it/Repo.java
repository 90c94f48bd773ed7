package dev.linen.cni.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built plugin, the libcni caller and the examples are. */
final class Repo {
    private Repo() {
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("cni/pom.xml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static Path plugin() {
        return Path.of(System.getProperty("linen.plugin", root().resolve("cni/target/linen").toString()));
    }

    /** The cnitool-style caller built on Debian's libcni (tools/cnicall/build). */
    static Path cnicall() {
        Path p = root().resolve("tools/cnicall/target/cnicall");
        if (!Files.isExecutable(p)) {
            Proc b = Proc.run(root().resolve("tools/cnicall/build").toString());
            if (b.exit() != 0 || !Files.isExecutable(p)) {
                throw new AssertionError("cannot build the libcni caller: " + b.describe());
            }
        }
        return p;
    }

    static Path examples() {
        return root().resolve("examples/conflists");
    }
}
