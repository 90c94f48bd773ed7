// Command cnicall runs a CNI network configuration list through the real libcni, as a container
// runtime does (a cnitool-style caller). It is what Linen's tests, lab and Vagrant demo use.
//
//	cnicall add|check|del CONFLIST NETNS CONTAINER_ID [IFNAME]
//	cnicall version CONFLIST
//
// CNI_PATH (colon-separated) says where plugins are; CNI_CACHE_DIR where libcni keeps results
// (default /var/lib/cni). CNICALL_CAPABILITY_ARGS, when set, is a JSON object of capability
// arguments (runtimeConfig), e.g. {"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]},
// given to the plugins that declare those capabilities, as a runtime does for a pod's hostPorts;
// pass the same on del. On success the result (ADD) is printed; on failure the CNI error object
// is printed to stdout and the exit code is 1 (2 for usage errors).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/containernetworking/cni/libcni"
	"github.com/containernetworking/cni/pkg/types"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: cnicall add|check|del CONFLIST NETNS CONTAINER_ID [IFNAME]\n       cnicall version CONFLIST")
	os.Exit(2)
}

// fail prints err as a CNI error object (keeping a plugin's own code) and exits 1.
func fail(err error) {
	var cniErr *types.Error
	if !errors.As(err, &cniErr) {
		cniErr = &types.Error{Code: 999, Msg: err.Error()}
	}
	out, _ := json.Marshal(cniErr)
	fmt.Println(string(out))
	os.Exit(1)
}

func main() {
	if len(os.Args) < 3 {
		usage()
	}
	list, err := libcni.ConfListFromFile(os.Args[2])
	if err != nil {
		fail(err)
	}
	cacheDir := os.Getenv("CNI_CACHE_DIR")
	if cacheDir == "" {
		cacheDir = "/var/lib/cni"
	}
	cni := libcni.NewCNIConfigWithCacheDir(filepath.SplitList(os.Getenv("CNI_PATH")), cacheDir, nil)
	ctx := context.Background()
	if os.Args[1] == "version" {
		versions(ctx, cni, list)
		return
	}
	if len(os.Args) < 5 || len(os.Args) > 6 {
		usage()
	}
	rt := &libcni.RuntimeConf{NetNS: os.Args[3], ContainerID: os.Args[4], IfName: "eth0"}
	if len(os.Args) == 6 {
		rt.IfName = os.Args[5]
	}
	if capArgs := os.Getenv("CNICALL_CAPABILITY_ARGS"); capArgs != "" {
		if err := json.Unmarshal([]byte(capArgs), &rt.CapabilityArgs); err != nil {
			fail(fmt.Errorf("CNICALL_CAPABILITY_ARGS is not a JSON object: %v", err))
		}
	}
	switch os.Args[1] {
	case "add":
		result, err := cni.AddNetworkList(ctx, list, rt)
		if err != nil {
			fail(err)
		}
		if err := result.Print(); err != nil {
			fail(err)
		}
	case "check":
		if err := cni.CheckNetworkList(ctx, list, rt); err != nil {
			fail(err)
		}
	case "del":
		if err := cni.DelNetworkList(ctx, list, rt); err != nil {
			fail(err)
		}
	default:
		usage()
	}
}

// versions prints each plugin's answer to VERSION as {"plugin": [versions...]}.
func versions(ctx context.Context, cni *libcni.CNIConfig, list *libcni.NetworkConfigList) {
	out := map[string][]string{}
	for _, p := range list.Plugins {
		info, err := cni.GetVersionInfo(ctx, p.Network.Type)
		if err != nil {
			fail(err)
		}
		out[p.Network.Type] = info.SupportedVersions()
	}
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
}
