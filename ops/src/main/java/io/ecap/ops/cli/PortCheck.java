package io.ecap.ops.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether the service's port can be taken, checked before anything slow (a warm-up, opening the state) starts. */
final class PortCheck {
    private PortCheck() {
    }

    /** Null if {@code host:port} can be listened on now (port 0: any free one), else what stands in the way. */
    static String problem(final String host, final int port) {
        if (port == 0) {
            return null;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
            return null;
        } catch (final IOException e) {
            return host + ":" + port + " cannot be listened on (" + e.getMessage()
                + "; another process may hold it: choose another with --port or gateway.port)";
        }
    }
}
