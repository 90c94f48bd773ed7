// Command cni-add-bench times CNI ADD through the real libcni: the reference bridge + host-local
// chain alone, and the same chain followed by linen, in alternating rounds on fresh network
// namespaces. It prints the medians and the ratio of linen's step (chain with linen minus chain
// without) to the bridge + host-local step, and the first ADD that sets up a fresh node. With
// -hello, a third chain (bridge + host-local + a hello-world plugin on the same JVM runtime, with
// an AOT cache of its own) joins the rotation, and linen's step is also set against that floor.
//
// Usage: cni-add-bench -plain PLAIN.conflist -linen LINEN.conflist [-hello HELLO.conflist] -rounds N -prefix NAME
// (run inside the node's network namespace, with CNI_PATH set; it creates and removes pod
// namespaces PREFIX-N with `ip netns`).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"time"

	"github.com/containernetworking/cni/libcni"
)

var prefixRe = regexp.MustCompile(`^[a-z][a-z0-9-]{0,20}$`)

type caller struct {
	cni    *libcni.CNIConfig
	prefix string
	seq    int
}

// add creates a pod namespace, times one ADD of the list into it, then deletes the pod again.
func (c *caller) add(list *libcni.NetworkConfigList) (time.Duration, error) {
	c.seq++
	ns := fmt.Sprintf("%s-%d", c.prefix, c.seq)
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("ip netns add %s: %v: %s", ns, err, out)
	}
	defer exec.Command("ip", "netns", "del", ns).Run()
	rt := &libcni.RuntimeConf{ContainerID: ns, NetNS: "/var/run/netns/" + ns, IfName: "eth0"}
	start := time.Now()
	_, err := c.cni.AddNetworkList(context.Background(), list, rt)
	took := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("ADD %s: %v", list.Name, err)
	}
	if err := c.cni.DelNetworkList(context.Background(), list, rt); err != nil {
		return 0, fmt.Errorf("DEL %s: %v", list.Name, err)
	}
	return took, nil
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// rotation returns round i's order: each list goes first, second, ... in turn.
func rotation(lists []*libcni.NetworkConfigList, i int) []*libcni.NetworkConfigList {
	n := len(lists)
	out := make([]*libcni.NetworkConfigList, 0, n)
	for k := 0; k < n; k++ {
		out = append(out, lists[(i+k)%n])
	}
	return out
}

func run(c *caller, plain, linen, hello *libcni.NetworkConfigList, rounds int) error {
	first, err := c.add(linen)
	if err != nil {
		return err
	}
	lists := []*libcni.NetworkConfigList{plain, linen}
	if hello != nil {
		lists = append(lists, hello)
		if _, err := c.add(hello); err != nil { // its first run, like linen's, is not a round
			return err
		}
	}
	times := map[*libcni.NetworkConfigList][]time.Duration{}
	for i := 0; i < rounds; i++ {
		for _, l := range rotation(lists, i) {
			t, err := c.add(l)
			if err != nil {
				return err
			}
			times[l] = append(times[l], t)
		}
	}
	mp, ml := median(times[plain]), median(times[linen])
	step := ml - mp
	fmt.Printf("first ADD on a fresh node (bridge+host-local+linen, linen sets up OVS): %.1f ms\n", ms(first))
	fmt.Printf("rounds: %d each, alternating\n", rounds)
	fmt.Printf("median ADD bridge+host-local:        %.1f ms\n", ms(mp))
	fmt.Printf("median ADD bridge+host-local+linen:  %.1f ms\n", ms(ml))
	fmt.Printf("linen step (difference of medians): %.1f ms\n", ms(step))
	ratio := float64(step) / float64(mp)
	fmt.Printf("ratio linen step / bridge+host-local step: %.2f (bar: <= 3.00) %s\n", ratio, verdict(ratio <= 3))
	if hello != nil {
		floor := median(times[hello]) - mp
		fmt.Printf("median ADD bridge+host-local+hello:  %.1f ms\n", ms(median(times[hello])))
		fmt.Printf("hello-world step (the JVM floor):   %.1f ms\n", ms(floor))
		r := float64(step) / float64(floor)
		fmt.Printf("ratio linen step / hello-world step: %.2f (target: <= 1.10) %s\n", r, verdict(r <= 1.1))
	}
	return nil
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "OVER THE BAR"
}

func main() {
	plainPath := flag.String("plain", "", "conflist: bridge + host-local")
	linenPath := flag.String("linen", "", "conflist: bridge + host-local + linen")
	helloPath := flag.String("hello", "", "conflist: bridge + host-local + the hello-world plugin (optional)")
	rounds := flag.Int("rounds", 30, "rounds of each (1..1000)")
	prefix := flag.String("prefix", "lnb-pod", "name prefix of the pod namespaces")
	flag.Parse()
	if *rounds < 1 || *rounds > 1000 || !prefixRe.MatchString(*prefix) {
		fmt.Fprintln(os.Stderr, "bad -rounds or -prefix")
		os.Exit(2)
	}
	plain, err := libcni.ConfListFromFile(*plainPath)
	if err == nil {
		var linen *libcni.NetworkConfigList
		linen, err = libcni.ConfListFromFile(*linenPath)
		var hello *libcni.NetworkConfigList
		if err == nil && *helloPath != "" {
			hello, err = libcni.ConfListFromFile(*helloPath)
		}
		if err == nil {
			cache := filepath.Join(os.TempDir(), *prefix+"-cache")
			defer os.RemoveAll(cache)
			cni := libcni.NewCNIConfigWithCacheDir(filepath.SplitList(os.Getenv("CNI_PATH")), cache, nil)
			err = run(&caller{cni: cni, prefix: *prefix}, plain, linen, hello, *rounds)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cni-add-bench:", err)
		os.Exit(1)
	}
}
