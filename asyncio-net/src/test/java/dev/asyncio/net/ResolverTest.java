package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static dev.asyncio.net.StreamsTest.b;
import static dev.asyncio.net.StreamsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Name resolution: numeric hosts at once, the system resolver off the loop, DNS from the loop thread. */
class ResolverTest {
    /** A DNS server on the test's own loop that knows one name, counting the queries it gets. */
    static final class FakeDns extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        final List<String> questions = new ArrayList<>();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DnsQuestion q = query.recordAt(DnsSection.QUESTION);
            questions.add(q.name() + " " + q.type().name());
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.addRecord(DnsSection.QUESTION, q);
            if (q.name().equals("db.test.") && q.type() == DnsRecordType.A) {
                response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(q.name(), DnsRecordType.A, 60,
                        Unpooled.wrappedBuffer(new byte[] {127, 0, 0, 1})));
            } else if (!q.name().equals("db.test.")) {
                response.setCode(DnsResponseCode.NXDOMAIN);
            }
            ctx.writeAndFlush(response);
        }

        static Channel start(AsyncLoop loop, FakeDns handler) throws Exception {
            Future<Channel> bound = loop.createFuture();
            io.netty.channel.ChannelFuture f = new Bootstrap().group(loop.ioEventLoop()).channel(NioDatagramChannel.class)
                    .handler(new io.netty.channel.ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), handler);
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0));
            f.addListener(x -> bound.setResult(f.channel()));
            return bound.await();
        }
    }

    @AsyncTest
    void numericHostsResolveWithoutSuspending() throws Exception {
        Task<Void> other = Asyncio.createTask(() -> { });
        assertEquals(List.of(InetAddress.getByAddress(new byte[] {127, 0, 0, 1})), Resolver.system().resolve("127.0.0.1"));
        assertEquals(List.of(InetAddress.getByName("::1")), Resolver.system().resolve("[::1]"));
        assertTrue(!other.done(), "no suspension happened, so the other task has not run");
        other.await();
    }

    @AsyncTest
    void theSystemResolverFindsLocalhostOffTheLoop() {
        List<InetAddress> addrs = Net.getAddrInfo("localhost", 80).stream().map(InetSocketAddress::getAddress).toList();
        assertTrue(addrs.stream().anyMatch(InetAddress::isLoopbackAddress), addrs.toString());
        assertThrows(NameResolutionError.class, () -> Resolver.system().resolve("no-such-host.invalid"));
    }

    @AsyncTest
    void dnsResolverAsksTheServerFromTheLoopThreadAndCachesTheAnswer(AsyncLoop loop) throws Exception {
        FakeDns dns = new FakeDns();
        Channel dnsServer = FakeDns.start(loop, dns);
        try (DnsResolver resolver = DnsResolver.create((InetSocketAddress) dnsServer.localAddress(), 5)) {
            assertEquals(List.of(InetAddress.getByAddress(new byte[] {127, 0, 0, 1})), resolver.resolve("db.test"));
            int asked = dns.questions.size();
            assertTrue(dns.questions.contains("db.test. A"), dns.questions.toString());
            resolver.resolve("db.test");
            assertEquals(asked, dns.questions.size(), "the second lookup is answered from the cache");
            NameResolutionError e = assertThrows(NameResolutionError.class, () -> resolver.resolve("nowhere.test"));
            assertTrue(e.getMessage().contains("nowhere.test"), e.getMessage());
            StreamOptions viaDns = StreamOptions.builder().resolver(resolver).build();
            StreamsTest.serving(StreamsTest::echoLines, server -> {
                try (Connection c = Streams.openConnection("db.test", server.port(), viaDns)) {
                    c.writer().write(b("resolved by DNS\n"));
                    assertEquals("resolved by DNS\n", s(c.reader().readLine()));
                }
            });
        } finally {
            dnsServer.close();
        }
    }
}
