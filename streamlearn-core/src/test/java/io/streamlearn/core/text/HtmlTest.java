package io.streamlearn.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void escapesEveryCharacterThatCouldOpenMarkupOrCloseAnAttribute() {
        assertThat(Html.escape("<script>alert('x' & \"y\")</script>"))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;");
        assertThat(Html.escape("nswprice")).isEqualTo("nswprice");
        assertThat(Html.escape(null)).isEmpty();
    }
}
