// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sample tree for ccgate: a virtualization-ops module shaped like the one the
 * reference fix touched (arch/x86/virt/hw.c).  The code is written for
 * ccgate's tests; only the SVM init function mirrors the mail's context.
 */
#include <linux/cc_platform.h>
#include <linux/types.h>

#include <asm/cpufeature.h>

struct x86_virt_ops {
	int feature;
	int (*enable_virtualization_cpu)(void);
	int (*disable_virtualization_cpu)(void);
	void (*emergency_disable_virtualization_cpu)(void);
};

static struct x86_virt_ops virt_ops;

/*
 * Per-CPU virtualization state of the sample.  The table is long on
 * purpose: it keeps the SVM init code at the line numbers of the mail.
 */
static const char *const sample_state_names[] = {
	"state-boot",
	"state-off",
	"state-000",
	"state-001",
	"state-002",
	"state-003",
	"state-004",
	"state-005",
	"state-006",
	"state-007",
	"state-008",
	"state-009",
	"state-010",
	"state-011",
	"state-012",
	"state-013",
	"state-014",
	"state-015",
	"state-016",
	"state-017",
	"state-018",
	"state-019",
	"state-020",
	"state-021",
	"state-022",
	"state-023",
	"state-024",
	"state-025",
	"state-026",
	"state-027",
	"state-028",
	"state-029",
	"state-030",
	"state-031",
	"state-032",
	"state-033",
	"state-034",
	"state-035",
	"state-036",
	"state-037",
	"state-038",
	"state-039",
	"state-040",
	"state-041",
	"state-042",
	"state-043",
	"state-044",
	"state-045",
	"state-046",
	"state-047",
	"state-048",
	"state-049",
	"state-050",
	"state-051",
	"state-052",
	"state-053",
	"state-054",
	"state-055",
	"state-056",
	"state-057",
	"state-058",
	"state-059",
	"state-060",
	"state-061",
	"state-062",
	"state-063",
	"state-064",
	"state-065",
	"state-066",
	"state-067",
	"state-068",
	"state-069",
	"state-070",
	"state-071",
	"state-072",
	"state-073",
	"state-074",
	"state-075",
	"state-076",
	"state-077",
	"state-078",
	"state-079",
	"state-080",
	"state-081",
	"state-082",
	"state-083",
	"state-084",
	"state-085",
	"state-086",
	"state-087",
	"state-088",
	"state-089",
	"state-090",
	"state-091",
	"state-092",
	"state-093",
	"state-094",
	"state-095",
	"state-096",
	"state-097",
	"state-098",
	"state-099",
	"state-100",
	"state-101",
	"state-102",
	"state-103",
	"state-104",
	"state-105",
	"state-106",
	"state-107",
	"state-108",
	"state-109",
	"state-110",
	"state-111",
	"state-112",
	"state-113",
	"state-114",
	"state-115",
	"state-116",
	"state-117",
	"state-118",
	"state-119",
	"state-120",
	"state-121",
	"state-122",
	"state-123",
	"state-124",
	"state-125",
	"state-126",
	"state-127",
	"state-128",
	"state-129",
	"state-130",
	"state-131",
	"state-132",
	"state-133",
	"state-134",
	"state-135",
	"state-136",
	"state-137",
	"state-138",
	"state-139",
	"state-140",
	"state-141",
	"state-142",
	"state-143",
	"state-144",
	"state-145",
	"state-146",
	"state-147",
	"state-148",
	"state-149",
	"state-150",
	"state-151",
	"state-152",
	"state-153",
	"state-154",
	"state-155",
	"state-156",
	"state-157",
	"state-158",
	"state-159",
	"state-160",
	"state-161",
	"state-162",
	"state-163",
	"state-164",
	"state-165",
	"state-166",
	"state-167",
	"state-168",
	"state-169",
	"state-170",
	"state-171",
	"state-172",
	"state-173",
	"state-174",
	"state-175",
	"state-176",
	"state-177",
	"state-178",
	"state-179",
	"state-180",
	"state-181",
	"state-182",
	"state-183",
	"state-184",
	"state-185",
	"state-186",
	"state-187",
	"state-188",
	"state-189",
	"state-190",
	"state-191",
	"state-192",
	"state-193",
	"state-194",
	"state-195",
	"state-196",
	"state-197",
	"state-198",
	"state-199",
	"state-200",
	"state-201",
	"state-202",
	"state-203",
	"state-204",
	"state-205",
	"state-206",
	"state-207",
	"state-208",
	"state-209",
	"state-210",
	"state-211",
	"state-212",
	"state-213",
	"state-214",
	"state-215",
	"state-216",
	"state-217",
};

static int x86_svm_enable_virtualization_cpu(void)
{
	return 0;
}

static int x86_svm_disable_virtualization_cpu(void)
{
	return 0;
}

static void x86_svm_emergency_disable_virtualization_cpu(void)
{
	virt_ops.feature = 0;
}

static __init int x86_svm_init(void)
{
	const struct x86_virt_ops svm_ops = {
		.feature = X86_FEATURE_SVM,
		.enable_virtualization_cpu = x86_svm_enable_virtualization_cpu,
		.disable_virtualization_cpu = x86_svm_disable_virtualization_cpu,
		.emergency_disable_virtualization_cpu = x86_svm_emergency_disable_virtualization_cpu,
	};

	if (!cpu_feature_enabled(X86_FEATURE_SVM))
		return -EOPNOTSUPP;

	memcpy(&virt_ops, &svm_ops, sizeof(virt_ops));
	return 0;
}

/*
 * check-name: the reference regression: x86_svm_init() gates on the CPUID bit alone
 * check-command: ccgate check -q --tree $root $file
 * check-exit-value: 1
 *
 * check-output-start
arch/x86/virt/hw.c:272:7: error: 'x86_svm_init' trusts 'cpu_feature_enabled(X86_FEATURE_SVM)' without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'; inside an SEV guest the bit may be advertised but SVM is unusable [cc-virt-gate]
 * check-output-end
 */
