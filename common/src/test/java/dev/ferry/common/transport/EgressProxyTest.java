package dev.ferry.common.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.net.ProxyType;
import org.junit.jupiter.api.Test;

/** Which registries go through the egress proxy, and how its URL is read. */
class EgressProxyTest {

    private static EgressProxy env(String... pairs) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return new EgressProxy(m);
    }

    @Test
    void httpsRegistriesUseHttpsProxyAndHttpOnesHttpProxy() {
        EgressProxy p = env("HTTPS_PROXY", "http://secure:3128", "HTTP_PROXY", "http://plain:8080");

        assertThat(p.choose(null, "r.example.com", true).getHost()).isEqualTo("secure");
        assertThat(p.choose(null, "r.example.com", false).getHost()).isEqualTo("plain");
    }

    @Test
    void upperCaseWinsOverLowerCaseAndASchemelessValueIsHttp() {
        EgressProxy p = env("HTTPS_PROXY", "upper:3128", "https_proxy", "http://lower:3128");

        assertThat(p.choose(null, "r.example.com", true).getHost()).isEqualTo("upper");
        assertThat(p.choose(null, "r.example.com", true).getType()).isEqualTo(ProxyType.HTTP);
    }

    @Test
    void noProxyMatchesDomainsSubdomainsPortsAndStar() {
        EgressProxy p = env("HTTPS_PROXY", "http://p:1", "NO_PROXY", "internal.example, .corp, host.test:5000");

        assertThat(p.excluded("internal.example")).isTrue();
        assertThat(p.excluded("harbor.internal.example:443")).isTrue();
        assertThat(p.excluded("notinternal.example")).isFalse();
        assertThat(p.excluded("a.corp")).isTrue();
        assertThat(p.excluded("host.test:5000")).isTrue();
        assertThat(p.excluded("host.test:5001")).isFalse();
        assertThat(env("NO_PROXY", "*").excluded("anything:1")).isTrue();
    }

    @Test
    void loopbackIsProxiedUnlessNoProxyNamesIt() {
        EgressProxy p = env("HTTPS_PROXY", "http://p:1");

        assertThat(p.choose(null, "127.0.0.1:5000", true)).isNotNull();
        assertThat(p.choose(null, "localhost:5000", true)).isNotNull();
        assertThat(env("HTTPS_PROXY", "http://p:1", "NO_PROXY", "localhost,127.0.0.1")
                        .choose(null, "127.0.0.1:5000", true))
                .isNull();
    }

    @Test
    void aRegistrysOwnSettingWinsAndDirectMeansNone() {
        EgressProxy p = env("HTTPS_PROXY", "http://env:1");

        assertThat(p.choose("socks5://own:1080", "r", true).getType()).isEqualTo(ProxyType.SOCKS5);
        assertThat(p.choose(EgressProxy.DIRECT, "r", true)).isNull();
    }

    @Test
    void credentialsInTheUrlAreUsedButNeverDescribed() {
        var options = EgressProxy.parse("http://me:s%40cret@proxy:3128");

        assertThat(options.getUsername()).isEqualTo("me");
        assertThat(options.getPassword()).isEqualTo("s@cret");
        assertThat(EgressProxy.describe(options)).isEqualTo("http://proxy:3128");
    }

    @Test
    void otherSchemesAreRefusedWithoutEchoingTheUrl() {
        assertThatThrownBy(() -> EgressProxy.parse("https://u:topsecret@proxy:443"))
                .hasMessage("the proxy must be http://HOST:PORT or socks5://HOST:PORT, not https://")
                .hasMessageNotContaining("topsecret");
    }
}
