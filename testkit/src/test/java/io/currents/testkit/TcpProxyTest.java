package io.currents.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TcpProxyTest {

    @Test
    void aBlackHoleDropsEveryByteOfOpenAndNewConnectionsAndTheHealClosesThem() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); TcpProxy proxy = TcpProxy.start(echo.getLocalPort())) {
            Thread.ofVirtual().start(() -> {
                while (!echo.isClosed()) {
                    try {
                        Socket s = echo.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                                in.transferTo(out);
                            } catch (IOException ignored) {
                                // the test closed it
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            try (Socket before = connect(proxy)) {
                assertThat(roundTrip(before, 'a')).isEqualTo('a');

                proxy.blackHole();
                assertThat(proxy.isBlackHoled()).isTrue();
                assertThatThrownBy(() -> roundTrip(before, 'b')).as("no answer on an open connection").isInstanceOf(SocketTimeoutException.class);
                try (Socket during = connect(proxy)) {
                    assertThatThrownBy(() -> roundTrip(during, 'c')).as("a new connection is accepted but never answered")
                            .isInstanceOf(SocketTimeoutException.class);

                    proxy.restore();
                    assertThat(before.getInputStream().read()).as("the connection open across the partition is closed at the heal").isEqualTo(-1);
                    assertThat(during.getInputStream().read()).isEqualTo(-1);
                }
            }
            try (Socket after = connect(proxy)) {
                assertThat(roundTrip(after, 'd')).as("relayed again after the heal").isEqualTo('d');
            }
        }
    }

    private static Socket connect(TcpProxy proxy) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(1_000);
        return socket;
    }

    private static char roundTrip(Socket socket, char c) throws IOException {
        socket.getOutputStream().write(c);
        socket.getOutputStream().flush();
        return (char) socket.getInputStream().read();
    }
}
