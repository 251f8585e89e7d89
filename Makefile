# The `sam build` route for the Java functions (template.yaml: Metadata: BuildMethod: makefile).
#
# SAM builds a function by copying only its CodeUri and running Maven there, where the sibling
# `shared` module does not resolve (aws-sam-cli#2289). So every function has CodeUri `.` (the
# repository root) and SAM runs `make build-<LogicalId>` here, with ARTIFACTS_DIR set to that
# function's .aws-sam/build/<LogicalId> directory. (samconfig.toml sets build_in_source, so SAM
# runs make in the source tree rather than in a copy of it; both work.)
#
# The jars are built once, by one Maven reactor run of `functions` and the modules it depends on,
# then shrunk by scripts/lambda-artifact (ProGuard, pinned in tools/proguard; rules in
# functions/lambda.pro) into one jar holding only what the handlers reach: the runtime jars are
# 59 MB, mostly SDK operations we never call; the shrunk jar is about 13 MB. That jar is copied to
# every function: ARTIFACTS_DIR/lib/*.jar is the Lambda Java runtime's classpath.
# The build is skipped when no pom.xml or main source of shared/ or functions/ changed.

MVN ?= mvn
MVN_FLAGS ?= -B -q -Dstyle.color=never
FUNCTIONS := PlanFunction TargetFunction SummarizeFunction ReadinessFunction TriggerFunction RestopFunction

LAMBDA_DIR := functions/target/lambda
LAMBDA_STAMP := $(LAMBDA_DIR)/.built
LAMBDA_JAR := $(LAMBDA_DIR)/aws-hit-breaks-lambda.jar
PROGUARD_DIR := functions/target/proguard
LAMBDA_SOURCES := pom.xml shared/pom.xml functions/pom.xml test-support/pom.xml \
	functions/lambda.pro scripts/lambda-artifact scripts/prune_sdk_requests.py tools/proguard/pom.xml \
	$(shell find shared/src/main functions/src/main -type f 2>/dev/null)

.PHONY: lambda-jars lambda-jar $(addprefix build-,$(FUNCTIONS))

lambda-jars: $(LAMBDA_STAMP)
lambda-jar: $(LAMBDA_STAMP)

$(LAMBDA_STAMP): $(LAMBDA_SOURCES)
	rm -rf $(LAMBDA_DIR)
	$(MVN) $(MVN_FLAGS) -pl functions -am -Dmaven.test.skip=true \
		package dependency:copy-dependencies \
		-DincludeScope=runtime -DoutputDirectory=target/lambda/lib
	cp functions/target/aws-hit-breaks-functions-*.jar $(LAMBDA_DIR)/lib/
	$(MVN) $(MVN_FLAGS) -f tools/proguard/pom.xml dependency:copy-dependencies \
		-DincludeScope=runtime -DoutputDirectory=$(abspath $(PROGUARD_DIR))
	scripts/lambda-artifact $(LAMBDA_DIR)/lib $(PROGUARD_DIR) $(LAMBDA_JAR)
	touch $@

$(addprefix build-,$(FUNCTIONS)): build-%: $(LAMBDA_STAMP)
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (run through sam build)" >&2; exit 1; }
	rm -rf "$(ARTIFACTS_DIR)/lib"
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp $(LAMBDA_JAR) "$(ARTIFACTS_DIR)/lib/"
