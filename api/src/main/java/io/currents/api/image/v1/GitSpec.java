package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** Git settings of an automation: checkout, commit and push. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GitSpec {

    private GitCheckoutSpec checkout;

    @Required
    private CommitSpec commit;

    private PushSpec push;

    public GitCheckoutSpec getCheckout() {
        return checkout;
    }

    public void setCheckout(GitCheckoutSpec checkout) {
        this.checkout = checkout;
    }

    public CommitSpec getCommit() {
        return commit;
    }

    public void setCommit(CommitSpec commit) {
        this.commit = commit;
    }

    public PushSpec getPush() {
        return push;
    }

    public void setPush(PushSpec push) {
        this.push = push;
    }
}
