import assert from "node:assert/strict";
import { describe, it } from "node:test";
import gammaln from "@stdlib/math-base-special-gammaln";
import fc from "fast-check";
import {
  digamma,
  lbeta,
  lgamma,
  log1mexp,
  log1pexp,
  logDiffExp,
  logSumExp,
  logSumExp2,
  trigamma,
} from "../../src/math/special.ts";

/** |got - want| <= rel * |want| + abs, with a message that shows both. */
function close(got: number, want: number, rel: number, abs = 0, what = ""): void {
  const err = Math.abs(got - want);
  assert.ok(err <= rel * Math.abs(want) + abs, `${what} got ${got}, want ${want}, error ${err}`);
}

describe("lgamma", () => {
  it("matches @stdlib/math-base-special-gammaln to 1e-13 relative (1e-14 absolute near the zeros)", () => {
    const points: number[] = [1e-300, 1e-8, 1e-3, 0.1, 0.5, 1, 2, 3, 10, 1e4, 1e7, 1e15, 1e300];
    for (let i = 1; i <= 4000; i++) points.push(i * 0.005); // dense over (0, 20]
    for (let i = 0; i <= 200; i++) points.push(10 ** (-6 + i * 0.06)); // log-spaced 1e-6 .. 1e6
    let worst = 0;
    for (const x of points) {
      const want = gammaln(x);
      const got = lgamma(x);
      const err = Math.abs(got - want);
      if (Math.abs(want) > 1e-3) {
        assert.ok(err <= 1e-13 * Math.abs(want), `x = ${x}: got ${got}, want ${want}`);
        worst = Math.max(worst, err / Math.abs(want));
      } else {
        assert.ok(err <= 1e-14, `x = ${x}: got ${got}, want ${want}`);
      }
    }
    // The largest gap (4e-14 near x = 1.2) is @stdlib's: mpmath agrees with us there (next test).
    assert.ok(worst < 5e-14, `worst relative error ${worst}`);
  });

  it("keeps relative accuracy next to its zeros at 1 and 2 (mpmath 1.3.0, 50 digits, at the doubles)", () => {
    const ref: [number, number][] = [
      [1.001, -0.0005763935982833062],
      [0.999, 0.0005780385328913802],
      [1.01, -0.005690307946069651],
      [1.2, -0.08537409000331583],
      [0.8, 0.15205967839983756],
      [1.9, -0.03898427592308336],
      [2.1, 0.04543773854448518],
      [2.001, 0.000423106734800117],
      [1.999, -0.0004224618006921073],
      [1.5, -0.12078223763524522],
      [0.75, 0.20328095143129538],
      [2.25, 0.1248717148923966],
      [1e7, 151180949.3694739],
      [1e15, 3.3538776394910668e16],
    ];
    for (const [x, want] of ref) close(lgamma(x), want, 2e-15, 0, `lgamma(${x})`);
    assert.equal(lgamma(1), 0);
    assert.equal(lgamma(2), 0);
  });

  it("gives exact log-factorials", () => {
    let logFact = 0;
    for (let n = 1; n <= 170; n++) {
      logFact += Math.log(n);
      close(lgamma(n + 1), logFact, 1e-14, 1e-15, `ln ${n}!`);
    }
  });

  it("reflects to negative x and returns +Infinity at the poles (mpmath 1.3.0)", () => {
    close(lgamma(-0.5), 1.2655121234846454, 1e-14);
    close(lgamma(-2.3), 0.36956666345500805, 1e-13);
    close(lgamma(-10.7), -15.416789096416636, 1e-13);
    assert.equal(lgamma(0), Number.POSITIVE_INFINITY);
    assert.equal(lgamma(-3), Number.POSITIVE_INFINITY);
    assert.equal(lgamma(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
    // Subnormal x: ln Gamma(x) = -ln x - gamma_E x + ..., finite.
    close(lgamma(5e-324), -Math.log(5e-324), 1e-15, 0, "lgamma(5e-324)");
    close(lgamma(1e-310), -Math.log(1e-310), 1e-15, 0, "lgamma(1e-310)");
  });

  it("satisfies lgamma(x + 1) = lgamma(x) + ln x and never returns NaN (fast-check)", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e8, noNaN: true }), (x) => {
        const lhs = lgamma(x + 1);
        const rhs = lgamma(x) + Math.log(x);
        assert.ok(Number.isFinite(lhs) && Number.isFinite(rhs));
        // ln x + lgamma(x) may cancel (x near 1); scale the tolerance by the parts.
        const scale = Math.abs(lgamma(x)) + Math.abs(Math.log(x)) + 1e-300;
        assert.ok(Math.abs(lhs - rhs) <= 4e-15 * scale + 1e-16, `x = ${x}: ${lhs} vs ${rhs}`);
      }),
      { numRuns: 2000 },
    );
  });
});

// mpmath 1.3.0 (50 digits) at 40 random pairs, log-uniform in (1e-4, 1e8): [a, b, ln B(a, b)].
const LBETA_REF: [number, number, number][] = [
  [26.82592105087751, 521.5171959569125, -107.80440816455307],
  [12317625.852825496, 38.70800969889321, -530.0646536274559],
  [124.19247346563628, 1118.453534248615, -405.24320720092715],
  [0.016440844671195658, 138.964435796468, 4.017652688781726],
  [3619.033828141902, 327885.69542298425, -19951.129622579138],
  [0.001347353251468085, 0.4373359225063816, 6.6119441647198265],
  [0.001224747184914151, 519678.09641774616, 6.688196272177436],
  [20953.751566769726, 0.0003181002690524015, 8.049795270846793],
  [61139382.710075654, 37765337.784172416, -65767252.1732678],
  [7031.863024400241, 2436.4216778437726, -5402.0240962022235],
  [0.007761204765710924, 0.00015135920688983705, 8.8151670682937],
  [219.0661087804563, 0.0005183382546416263, 7.5617912204075886],
  [0.019164573276230255, 0.08004167419220705, 4.166991204784921],
  [0.00022961014386818274, 36.91590627364344, 8.378169764963555],
  [19.33630108680246, 1285658.253584878, -234.61988522673047],
  [169.62481115705125, 4825.03530040557, -742.1033628879708],
  [99.37515669952803, 8900.089678661443, -547.9848496604076],
  [30.758034462161152, 0.21774831147594909, 0.6908482791470656],
  [93729091.07963446, 88776843.5906046, -126436284.77805659],
  [1209446.3102292526, 31168.468123461786, -145601.1061109305],
  [0.6071927875101618, 0.05701522195033056, 2.914974334864726],
  [0.2940893976013078, 0.0006961166070475701, 7.272078370222395],
  [156839.2066901924, 6.379661838233643, -70.87183490589764],
  [1442126.8493712465, 4.34672715683186, -59.39985975712744],
  [31369572.471260495, 1471354.3570058339, -6007176.280868856],
  [0.00010151710975367522, 0.03285556778622147, 9.198362882172866],
  [8380368.914568322, 43.63623904039349, -575.4607454007223],
  [58117549.48775138, 5.8761470705744445, -100.47604438914436],
  [0.0007524196448957115, 3576.5059081634636, 7.185626209324438],
  [219851.94095188868, 0.1727058474915841, -0.44524654289971155],
  [0.0011110417534399275, 0.9795520222869638, 6.802495095435208],
  [37060783.7260807, 124878.07743955121, -836021.1732533026],
  [0.002605554448182604, 0.0905014185874388, 5.978129839908715],
  [0.0016313821551771045, 0.0005232639741176774, 7.833621986078889],
  [366655.44776724116, 0.013556186604353536, 4.119553316868912],
  [514.6852227830227, 23.393679196014624, -96.86091161122991],
  [0.019418379459090345, 60636.006183240286, 3.7167863622397035],
  [0.0037291083718141364, 5303.730945851452, 5.557463931805014],
  [0.00250089726542565, 11.19611645190362, 5.983739256304293],
  [0.035841656730453246, 0.17279840374333322, 3.5082660356086803],
];

describe("lbeta", () => {
  it("matches mpmath 1.3.0 at 40 random pairs over (1e-4, 1e8)^2 to 1e-14 relative", () => {
    for (const [a, b, want] of LBETA_REF) close(lbeta(a, b), want, 1e-14, 1e-15, `lbeta(${a}, ${b})`);
  });

  it("stays accurate when one argument is huge (mpmath 1.3.0, 50 digits)", () => {
    const ref: [number, number, number][] = [
      [0.79, 10000, -7.114335116347545],
      [0.5, 1e10, -10.940560522033028],
      [1e-8, 1e8, 18.4206805539734],
      [12, 1e6, -148.2838848494444],
      [50, 60, -76.52272335335051],
      [2.5, 12.5, -6.172190800329316],
      [1e4, 1e4, -13866.28325676141],
      [3, 7, -5.529429087511423],
    ];
    for (const [a, b, want] of ref) {
      close(lbeta(a, b), want, 2e-14, 0, `lbeta(${a}, ${b})`);
      close(lbeta(b, a), want, 2e-14, 0, `lbeta(${b}, ${a})`);
    }
  });

  it("agrees with the three log-gammas where they do not cancel, and B(1, b) = 1/b (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 30, noNaN: true }),
        fc.double({ min: 1e-3, max: 30, noNaN: true }),
        (a, b) => {
          const want = lgamma(a) + lgamma(b) - lgamma(a + b);
          const scale = Math.abs(lgamma(a)) + Math.abs(lgamma(b)) + Math.abs(lgamma(a + b));
          assert.ok(Math.abs(lbeta(a, b) - want) <= 1e-14 * scale + 1e-15, `lbeta(${a}, ${b})`);
        },
      ),
      { numRuns: 2000 },
    );
    for (const b of [0.3, 1, 7, 15, 1e3, 1e9]) close(lbeta(1, b), -Math.log(b), 1e-14, 1e-15, `B(1, ${b})`);
  });
});

// mpmath 1.3.0 (40 digits) at 60 random points: [x, digamma(x), trigamma(x)].
const PSI_REF: [number, number, number][] = [
  [0.0007170930693563508, -1395.0951622384032, 1944685.23467122],
  [3.3943037470008113, 1.0676204524758952, 0.34220108687287604],
  [0.027508188936516628, -36.88566539522744, 1323.1080598649658],
  [17.66202369840972, 2.8428404002451635, 0.05825172025651608],
  [32.258461389977086, 3.4582004945354226, 0.031485070815692],
  [6.114293906367409e-6, -163551.7599445664, 26748989376.957306],
  [1.4388512507785068e-6, -694999.4518078322, 483023435689.3139],
  [11210.603308325199, 9.324570732084585, 8.920524386195596e-5],
  [0.0012949356041835097, -772.8142605459474, 596354.9820669983],
  [0.0006485919177963851, -1542.3776620048368, 2377153.5480187843],
  [886621.0257000558, 13.695172352051618, 1.1278782421716623e-6],
  [0.439705694694678, -2.2956817099602596, 6.159674638570991],
  [10902.784178910704, 9.29672760431187, 9.172389775284764e-5],
  [0.520281644625351, -1.866755127381114, 4.6124999068972485],
  [46.64635214226887, 3.831837479251439, 0.021669337378373434],
  [6.417961215616443e-5, -15581.849205772238, 242776041.76419702],
  [41.52674580112819, 3.714248942591384, 0.024373137125836063],
  [26094.18191414998, 10.169448491812972, 3.832345328526954e-5],
  [1.8974682803385132, 0.35444093836709417, 0.6891342847395577],
  [785.2759093912068, 6.665398278940218, 0.0012742489323692406],
  [114.00862409048025, 4.731882051100157, 0.00880984630306373],
  [5.8664754654794485e-6, -170460.6781447092, 29056646013.674744],
  [1255.344590426663, 7.134767038029833, 0.0007969113902285541],
  [12.393529223937009, 2.47628868206472, 0.0840299224520973],
  [0.004122986513351465, -243.11308582480342, 58828.563338001535],
  [2.3558141045938555e-6, -424482.2873985113, 180184722284.6888],
  [24340.351395970527, 10.099870261250999, 4.1084885178258994e-5],
  [0.47096546681736184, -2.1143046923653683, 5.467868460839962],
  [422.55873992108343, 6.04514473238183, 0.0023693373400446],
  [35136.10393152939, 10.466970252398886, 2.8461158711865313e-5],
  [8.71248906152883, 2.106272248785315, 0.12161608444158058],
  [11.092634677214557, 2.3605296890772625, 0.09433532219119806],
  [5.042079146008555, 1.515387818786825, 0.21928872306219008],
  [9.710450866330126, 2.220828960577301, 0.10846610021547512],
  [5.6131421445837475, 1.6333973790377094, 0.1949591797459664],
  [11.259247299601991, 2.3761249927931916, 0.09287659838074858],
  [10.606966593887478, 2.313632146420369, 0.09886121388920752],
  [1.6207245619050878, 0.14368861139919656, 0.8440854759428351],
  [2.0636418923076922, 0.46303140246177027, 0.6201790954146185],
  [2.9953498241810794, 0.9209461539658492, 0.39565201141234213],
  [11.603021597329334, 2.407554801457314, 0.09000486167901155],
  [5.515861466215437, 1.6142500389989318, 0.19871609861179781],
  [7.706455344968245, 1.9757768391654225, 0.13854328856246784],
  [3.9618012818933117, 1.245217180548977, 0.28691345544115376],
  [6.333294314034185, 1.7648002064914798, 0.17101410658198565],
  [4.93746197671638, 1.4921802772904116, 0.2244166525129664],
  [4.535470620857071, 1.397654859947221, 0.24656055527843398],
  [7.22835223516168, 1.9072471463126557, 0.1483532933433616],
  [7.218895619157287, 1.905843242956119, 0.14856133543328343],
  [10.898320364749413, 2.3420290252466334, 0.09609549708930472],
  [8.342794571302116, 2.0602707131778075, 0.12733379629477928],
  [11.182874413800196, 2.369006480469508, 0.0935396209145269],
  [10.34860651356269, 2.2877587787773974, 0.10145028370541964],
  [11.896380915991374, 2.433616226087304, 0.08769100434462719],
  [8.219645734868958, 2.0444656264186585, 0.12935952822001148],
  [2.375645652667302, 0.640277152591437, 0.5215686677113327],
  [10.397331630837085, 2.292689788672101, 0.1009516848341271],
  [11.593278894054205, 2.4066775263618148, 0.09008380222175573],
  [10.904003821890722, 2.3425750309116316, 0.0960430828242413],
  [7.04473628995472, 1.8796299373784158, 0.1524996660412194],
];

describe("digamma and trigamma", () => {
  it("match mpmath 1.3.0 at 60 random points in (1e-6, 1e6) (digamma 1e-14 abs/rel, trigamma 1e-14 rel)", () => {
    for (const [x, psi, psi1] of PSI_REF) {
      close(digamma(x), psi, 1e-14, 1e-15, `digamma(${x})`);
      close(trigamma(x), psi1, 1e-14, 0, `trigamma(${x})`);
    }
  });

  it("match known values (Abramowitz & Stegun 6.3.2, 6.3.3, 6.4.2; mpmath 1.3.0 elsewhere)", () => {
    const ref: [number, number, number][] = [
      [1, -0.5772156649015329, 1.6449340668482264],
      [0.5, -1.9635100260214235, 4.934802200544679],
      [1e-8, -100000000.57721564, 1.0000000000000002e16],
      [3.3, 1.0348224890596216, 0.3535015418410618],
      [9.99, 2.250700372831201, 0.10527695014824179],
      [10, 2.251752589066721, 0.10516633568168575],
      [100, 4.600161852738087, 0.010050166663333571],
      [1e6, 13.815510057964191, 1.0000005000001667e-6],
      [-0.5, 0.03648997397857652, 8.934802200544679],
      [-2.3, 3.3173231575618227, 14.725912160961292],
    ];
    for (const [x, psi, psi1] of ref) {
      close(digamma(x), psi, 1e-14, 1e-15, `digamma(${x})`);
      close(trigamma(x), psi1, 1e-14, 0, `trigamma(${x})`);
    }
    // Next to the root of digamma (x0 = 1.46163214496836234...): absolute accuracy only.
    close(digamma(1.4616321449683622), -9.241265521729427e-17, 0, 1e-15, "digamma near its root");
  });

  it("are the derivatives of lgamma and satisfy the recurrences (fast-check)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 1e4, noNaN: true }), (x) => {
        close(digamma(x + 1), digamma(x) + 1 / x, 1e-13, 1e-14, `psi recurrence at ${x}`);
        close(trigamma(x + 1), trigamma(x) - 1 / (x * x), 1e-12, 1e-15, `psi' recurrence at ${x}`);
        const h = 1e-5 * x;
        const fd = (lgamma(x + h) - lgamma(x - h)) / (2 * h);
        close(digamma(x), fd, 1e-6, 1e-6, `psi vs finite difference at ${x}`);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("log-space arithmetic", () => {
  it("logSumExp2 and logSumExp handle huge, tiny and -Infinity entries", () => {
    close(logSumExp2(Math.log(2), Math.log(3)), Math.log(5), 1e-15);
    close(logSumExp2(1000, 1000), 1000 + Math.LN2, 1e-15);
    close(logSumExp2(-1000, -1001), -1000 + Math.log1p(Math.exp(-1)), 1e-15);
    assert.equal(logSumExp2(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY), Number.NEGATIVE_INFINITY);
    assert.equal(logSumExp2(Number.NEGATIVE_INFINITY, 3), 3);
    assert.equal(logSumExp2(Number.POSITIVE_INFINITY, 3), Number.POSITIVE_INFINITY);
    close(logSumExp([1000, 1000, 1000]), 1000 + Math.log(3), 1e-15);
    close(logSumExp([Math.log(1), Math.log(2), Number.NEGATIVE_INFINITY]), Math.log(3), 1e-15);
    close(logSumExp(new Float64Array([-800, -800.5])), -800 + Math.log1p(Math.exp(-0.5)), 1e-15);
    assert.equal(logSumExp([]), Number.NEGATIVE_INFINITY);
    assert.equal(logSumExp([Number.NEGATIVE_INFINITY]), Number.NEGATIVE_INFINITY);
  });

  it("log1mexp is accurate on both sides of -ln 2 (Maechler 2012)", () => {
    close(log1mexp(-1e-20), Math.log(1e-20), 1e-15);
    close(log1mexp(-50), -Math.exp(-50), 1e-15);
    close(log1mexp(-Math.LN2), -Math.LN2, 1e-15);
    close(log1mexp(-1), Math.log(1 - Math.exp(-1)), 1e-15);
    assert.equal(log1mexp(0), Number.NEGATIVE_INFINITY);
    assert.ok(log1mexp(Number.NEGATIVE_INFINITY) === 0);
  });

  it("logDiffExp and log1pexp", () => {
    close(logDiffExp(Math.log(5), Math.log(3)), Math.log(2), 1e-15);
    close(logDiffExp(1000, 999), 1000 + Math.log1p(-Math.exp(-1)), 1e-15);
    close(logDiffExp(0, -1e-12), Math.log(1e-12), 1e-10);
    assert.equal(logDiffExp(2, 2), Number.NEGATIVE_INFINITY);
    assert.equal(logDiffExp(2, Number.NEGATIVE_INFINITY), 2);
    assert.equal(log1pexp(0), Math.LN2);
    close(log1pexp(-50), Math.exp(-50), 1e-15);
    close(log1pexp(20), 20 + Math.exp(-20), 1e-16);
    assert.equal(log1pexp(800), 800);
    fc.assert(
      fc.property(fc.double({ min: -700, max: 700, noNaN: true }), (x) => {
        close(log1pexp(x), logSumExp2(0, x), 1e-15, 1e-300);
      }),
    );
  });
});
