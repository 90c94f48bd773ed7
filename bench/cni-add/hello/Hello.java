/**
 * The floor for the benchmark: the least a CNI plugin on the JVM can do. It reads its config from
 * stdin and answers with a constant, minimal result (libcni ignores DEL's output). It runs on the
 * same jlink'ed runtime as linen, with the same JVM options and an AOT cache of its own.
 */
public final class Hello {
    public static void main(String[] args) throws java.io.IOException {
        System.in.readAllBytes();
        System.out.print("{\"cniVersion\":\"1.0.0\"}");
    }
}
