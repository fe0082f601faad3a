package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestKubernetesJob: deploy/k8s-indexed-job.yaml is docs/batch.md's manifest
// word for word, holds what an Indexed Job needs (batch/v1 Job, Indexed,
// as many completions as shards, a pod that is not restarted in place, a
// non-root container of the image deploy/Dockerfile makes, with no shell
// in it), and its arguments, with each index Kubernetes gives, are a
// command synfin's own parser takes: batch, the pod's shard of N, its own
// manifest and output. No cluster runs here; the file is what a user
// applies.
func TestKubernetesJob(t *testing.T) {
	file, err := os.ReadFile("../../deploy/k8s-indexed-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := os.ReadFile("../../docs/batch.md")
	if !strings.Contains(string(doc), "```yaml\n"+string(file)+"```") {
		t.Error("deploy/k8s-indexed-job.yaml and docs/batch.md's manifest differ")
	}
	var job struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   struct{ Name string }
		Spec       struct {
			Completions    int    `yaml:"completions"`
			Parallelism    int    `yaml:"parallelism"`
			CompletionMode string `yaml:"completionMode"`
			Template       struct {
				Spec struct {
					RestartPolicy string `yaml:"restartPolicy"`
					Containers    []struct {
						Name            string   `yaml:"name"`
						Image           string   `yaml:"image"`
						Command         []string `yaml:"command"`
						Args            []string `yaml:"args"`
						SecurityContext struct {
							RunAsNonRoot bool `yaml:"runAsNonRoot"`
						} `yaml:"securityContext"`
						VolumeMounts []struct {
							Name      string `yaml:"name"`
							MountPath string `yaml:"mountPath"`
						} `yaml:"volumeMounts"`
					} `yaml:"containers"`
					Volumes []struct {
						Name string `yaml:"name"`
					} `yaml:"volumes"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	if err := yaml.Unmarshal(file, &job); err != nil {
		t.Fatal(err)
	}
	s := job.Spec
	pod := s.Template.Spec
	if job.APIVersion != "batch/v1" || job.Kind != "Job" || job.Metadata.Name == "" || s.CompletionMode != "Indexed" ||
		s.Completions < 1 || s.Parallelism > s.Completions || (pod.RestartPolicy != "Never" && pod.RestartPolicy != "OnFailure") ||
		len(pod.Containers) != 1 {
		t.Fatalf("not an Indexed Job Kubernetes takes: %+v", job)
	}
	c := pod.Containers[0]
	if c.Name == "" || c.Image == "" || len(c.Command) != 0 || !c.SecurityContext.RunAsNonRoot {
		t.Errorf("container %+v: want a name, an image, the image's entrypoint (no shell in it) and runAsNonRoot", c)
	}
	volumes := map[string]bool{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = true
	}
	for _, m := range c.VolumeMounts {
		if !volumes[m.Name] {
			t.Errorf("volume mount %s names no volume", m.Name)
		}
	}
	for _, index := range []int{0, s.Completions - 1} {
		args := make([]string, len(c.Args))
		for i, a := range c.Args {
			args[i] = strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(index))
		}
		var o options
		fs := newFlagSet(&o, io.Discard)
		if err := fs.Parse(args); err != nil || fs.Arg(0) != "batch" {
			t.Fatalf("index %d: synfin %s: %v", index, strings.Join(args, " "), err)
		}
		if err := checkScope(fs, "batch", fs.Args()[1:]); err != nil {
			t.Errorf("index %d: %v", index, err)
		}
		if want := strconv.Itoa(index) + "/" + strconv.Itoa(s.Completions); o.Batch.Shard != want {
			t.Errorf("index %d: --shard %s, want %s", index, o.Batch.Shard, want)
		}
		if !strings.Contains(o.Batch.Resume, strconv.Itoa(index)) {
			t.Errorf("index %d: --resume %s is not the pod's own", index, o.Batch.Resume)
		}
	}
}

// TestDockerfile builds deploy/Dockerfile around a static synfin and runs
// it, where a Docker daemon answers (it needs nothing from a registry:
// FROM scratch); skipped otherwise, saying so.
func TestDockerfile(t *testing.T) {
	if exec.Command("docker", "info").Run() != nil {
		t.Skip("no Docker daemon here: deploy/Dockerfile not built")
	}
	ctx := t.TempDir()
	build := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(ctx, "synfin"), ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	df, _ := os.ReadFile("../../deploy/Dockerfile")
	os.WriteFile(filepath.Join(ctx, "Dockerfile"), df, 0o644)
	if out, err := exec.Command("docker", "build", "--build-arg", "BIN=synfin", "-t", "synfin-test", ctx).CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	out, err := exec.Command("docker", "run", "--rm", "synfin-test", "--version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "synfin ") {
		t.Errorf("docker run synfin --version: %v\n%s", err, out)
	}
}
