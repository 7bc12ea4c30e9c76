package dev.ferry.common.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinkHeaderTest {

    @Test
    void findsTheRelativeNextPageOfATagList() {
        assertThat(LinkHeader.next("</v2/x/tags/list?n=2&last=b>; rel=\"next\""))
                .isEqualTo("/v2/x/tags/list?n=2&last=b");
    }

    @Test
    void findsAnAbsoluteNextUrl() {
        assertThat(LinkHeader.next("<https://registry.example.com/v2/_catalog?last=repo%2Fb&n=100>; rel=\"next\""))
                .isEqualTo("https://registry.example.com/v2/_catalog?last=repo%2Fb&n=100");
    }

    @Test
    void picksNextAmongSeveralLinks() {
        String header = "</v2/x/tags/list?n=2&last=a>; rel=\"prev\", "
                + "</v2/x/tags/list?n=2&last=c>; rel=\"next\", </v2/x/tags/list>; rel=\"first\"";

        assertThat(LinkHeader.next(header)).isEqualTo("/v2/x/tags/list?n=2&last=c");
    }

    @Test
    void commaInsideTheUrlDoesNotSplitTheLink() {
        assertThat(LinkHeader.next("</v2/x/tags/list?last=a,b&n=5>; rel=\"next\""))
                .isEqualTo("/v2/x/tags/list?last=a,b&n=5");
    }

    @Test
    void commaInsideAQuotedParameterDoesNotSplitTheLink() {
        String header = "</page/1>; title=\"one, two\"; rel=\"prev\", </page/3>; rel=\"next\"";

        assertThat(LinkHeader.next(header)).isEqualTo("/page/3");
    }

    @Test
    void relWithoutQuotesIsRead() {
        assertThat(LinkHeader.next("</v2/x/tags/list?last=b>; rel=next")).isEqualTo("/v2/x/tags/list?last=b");
    }

    @Test
    void relIsCaseInsensitiveAndToleratesSpaces() {
        assertThat(LinkHeader.next("</a>;REL = \"Next\"")).isEqualTo("/a");
    }

    @Test
    void nextAmongSeveralRelationTypesIsFound() {
        assertThat(LinkHeader.next("</a>; rel=\"last next\"")).isEqualTo("/a");
    }

    @Test
    void otherParametersBeforeRelAreSkipped() {
        assertThat(LinkHeader.next("</a>; type=\"text/plain\"; rel=\"next\"")).isEqualTo("/a");
    }

    @Test
    void spacesInsideTheBracketsAreTrimmed() {
        assertThat(LinkHeader.next("< /v2/x/tags/list?last=b >; rel=\"next\"")).isEqualTo("/v2/x/tags/list?last=b");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "</a>; rel=\"prev\"",
                "</a>; rel=\"nextpage\"",
                "</a>",
                "</a>; next",
                "",
                "garbage",
                "/a; rel=\"next\"",
                "</a; rel=\"next\"",
                "</a>; relation=\"next\""
            })
    void noNextLinkIsNull(String header) {
        assertThat(LinkHeader.next(header)).isNull();
    }

    @Test
    void absentHeaderIsNull() {
        assertThat(LinkHeader.next(null)).isNull();
    }
}
