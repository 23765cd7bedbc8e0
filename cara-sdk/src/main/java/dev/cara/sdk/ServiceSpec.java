package dev.cara.sdk;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One container of a project, as a Compose service: the services of a project share a node and a
 * network on which each answers to its name.
 *
 * @param name         the service's name, unique in the project; also its host name on that network
 * @param image        the container image, for example {@code nginx:alpine}
 * @param env          environment variables, in order; never null
 * @param volumeMounts volumes of the project that it mounts; never null
 */
public record ServiceSpec(String name, String image, List<EnvVar> env, List<VolumeMount> volumeMounts) {
    static final String IMAGE_RULE = "a container image reference without spaces, for example nginx:alpine";

    public ServiceSpec {
        env = env == null ? List.of() : List.copyOf(env);
        volumeMounts = volumeMounts == null ? List.of() : List.copyOf(volumeMounts);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Checks the name, the image, each variable's name and each mount's path (mount paths unique);
     * that each mount names a declared volume is the project's check. Field paths in the error are
     * relative ({@code env[2].name}).
     *
     * @throws InvalidException naming the field, the value and the rule
     */
    public ServiceSpec validate() {
        Names.requireNodeName("name", name);
        requireImage(image);
        for (int i = 0; i < env.size(); i++) {
            try {
                env.get(i).validate();
            } catch (InvalidException e) {
                throw e.under("env[" + i + "]");
            }
        }
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < volumeMounts.size(); i++) {
            VolumeMount m = volumeMounts.get(i);
            try {
                m.validate();
            } catch (InvalidException e) {
                throw e.under("volumeMounts[" + i + "]");
            }
            if (!paths.add(m.mountPath())) {
                throw new InvalidException("volumeMounts[" + i + "].mountPath", m.mountPath(),
                        "unique among the service's volumeMounts");
            }
        }
        return this;
    }

    private static String requireImage(String image) {
        if (image == null || image.isEmpty()) {
            throw new InvalidException("image", null, IMAGE_RULE);
        }
        if (image.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new InvalidException("image", image, IMAGE_RULE);
        }
        return image;
    }

    /** Builds a service. Each setter validates its input at once; paths in errors are relative. */
    public static final class Builder {
        private final String name;
        private String image;
        private final List<EnvVar> env = new ArrayList<>();
        private final List<VolumeMount> volumeMounts = new ArrayList<>();

        private Builder(String name) {
            this.name = Names.requireNodeName("name", name);
        }

        public Builder image(String value) {
            this.image = requireImage(value);
            return this;
        }

        public Builder env(String variable, String value) {
            addValid("env", env, () -> new EnvVar(variable, value).validate());
            return this;
        }

        public Builder volumeMount(String volume, String mountPath) {
            addValid("volumeMounts", volumeMounts, () -> new VolumeMount(volume, mountPath).validate());
            return this;
        }

        // Appends what valid() returns, its errors under path[n].
        private static <T> void addValid(String path, List<T> items, Supplier<T> valid) {
            try {
                items.add(valid.get());
            } catch (InvalidException e) {
                throw e.under(path + "[" + items.size() + "]");
            }
        }

        /** @throws InvalidException when no image was given, or two mounts share a path */
        public ServiceSpec build() {
            if (image == null) {
                throw new InvalidException("image", null, IMAGE_RULE);
            }
            return new ServiceSpec(name, image, env, volumeMounts).validate();
        }
    }
}
