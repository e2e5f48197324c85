#include "minecarbon/carbon/rothc_batch.h"

#include <array>
#include <cmath>
#include <string>

#include <Eigen/Dense>

#include "minecarbon/core/errors.h"

namespace minecarbon::carbon {
namespace {

constexpr std::size_t kLanes = kRothCBatchLanes;
constexpr std::size_t kMonths = 12;
constexpr std::size_t kPools = 4;   // DPM RPM BIO HUM
constexpr std::size_t kInputs = 3;  // DPM RPM HUM
constexpr std::array<double, kPools> kRates_per_yr = {kDpmRate_per_yr, kRpmRate_per_yr,
                                                      kBioRate_per_yr, kHumRate_per_yr};

std::size_t keep_index(std::size_t cell, std::size_t month, std::size_t pool) {
  const std::size_t block = cell / kLanes;
  const std::size_t lane = cell % kLanes;
  return ((block * kMonths + month) * kPools + pool) * kLanes + lane;
}

std::size_t input_index(std::size_t cell, std::size_t month, std::size_t which) {
  const std::size_t block = cell / kLanes;
  const std::size_t lane = cell % kLanes;
  return ((block * kMonths + month) * kInputs + which) * kLanes + lane;
}

}  // namespace

RothCBatch make_rothc_batch(std::span<const RothCSite> sites, std::span<const RothCMonth> months) {
  if (months.size() != kMonths * sites.size()) {
    throw DataError("RothC batch: " + std::to_string(months.size()) + " monthly rows for " +
                    std::to_string(sites.size()) + " cells; expected 12 per cell (" +
                    std::to_string(kMonths * sites.size()) + "), cell after cell");
  }
  RothCBatch batch;
  batch.cell_count = sites.size();
  const std::size_t padded = (sites.size() + kLanes - 1) / kLanes * kLanes;
  batch.keep.assign(padded * kMonths * kPools, 1.0);
  batch.input_tC_ha.assign(padded * kMonths * kInputs, 0.0);
  for (auto* v : {&batch.to_co2_frac, &batch.to_bio_frac, &batch.to_hum_frac, &batch.dpm_tC_ha,
                  &batch.rpm_tC_ha, &batch.bio_tC_ha, &batch.hum_tC_ha, &batch.iom_tC_ha,
                  &batch.co2_cum_tC_ha, &batch.smd_dec_mm}) {
    v->assign(padded, 0.0);
  }

  for (std::size_t cell = 0; cell < sites.size(); ++cell) {
    const std::span<const RothCMonth> year = months.subspan(cell * kMonths, kMonths);
    RothCModel model;
    try {
      model = make_rothc_model(sites[cell]);
      validate_months(year);
    } catch (const DataError& e) {
      throw DataError("RothC batch, cell " + std::to_string(cell) + ": " + e.what());
    }
    batch.to_co2_frac[cell] = model.to_co2_frac;
    batch.to_bio_frac[cell] = model.to_bio_frac;
    batch.to_hum_frac[cell] = model.to_hum_frac;
    batch.iom_tC_ha[cell] = model.site.iom_tC_ha;

    double smd = periodic_smd_mm(model, year);
    for (std::size_t month = 0; month < kMonths; ++month) {
      const RothCMonth& f = year[month];
      if (f.biochar_tC_ha != 0.0) {
        throw DataError("RothC batch, cell " + std::to_string(cell) + ", month " +
                        std::to_string(month + 1) +
                        ": biochar_tC_ha must be 0 (the batch does not track biochar); use "
                        "run_rothc for biochar");
      }
      const double a = rm_temperature(f.temp_C);
      smd = next_smd_mm(smd, f.rain_mm, f.pan_evap_mm, f.plant_cover, model.limits);
      const double b =
          rm_moisture(smd, model.limits, model.site.moisture_option, model.min_rm_moist);
      const double rate = a * b * rm_plant_cover(f.plant_cover);
      for (std::size_t pool = 0; pool < kPools; ++pool) {
        batch.keep[keep_index(cell, month, pool)] =
            std::exp(-rate * kRates_per_yr[pool] * kMonth_yr);
      }
      const double ratio = f.dpm_rpm_ratio;
      batch.input_tC_ha[input_index(cell, month, 0)] =
          ratio / (ratio + 1.0) * f.plant_input_tC_ha + kFymDpmFraction * f.fym_tC_ha;
      batch.input_tC_ha[input_index(cell, month, 1)] =
          1.0 / (ratio + 1.0) * f.plant_input_tC_ha + kFymRpmFraction * f.fym_tC_ha;
      batch.input_tC_ha[input_index(cell, month, 2)] = kFymHumFraction * f.fym_tC_ha;
    }
    batch.smd_dec_mm[cell] = smd;
  }
  return batch;
}

void equilibrate_rothc_batch(RothCBatch& batch) {
  using Matrix4 = Eigen::Matrix4d;
  using Vector4 = Eigen::Vector4d;
  for (std::size_t cell = 0; cell < batch.cell_count; ++cell) {
    Matrix4 a = Matrix4::Identity();
    Vector4 b = Vector4::Zero();
    double retained = 1.0;
    for (std::size_t month = 0; month < kMonths; ++month) {
      Matrix4 m = Matrix4::Zero();
      for (std::size_t pool = 0; pool < kPools; ++pool) {
        const double keep = batch.keep[keep_index(cell, month, pool)];
        const double lost = 1.0 - keep;
        m(pool, pool) = keep;
        m(2, pool) += batch.to_bio_frac[cell] * lost;
        m(3, pool) += batch.to_hum_frac[cell] * lost;
      }
      retained *= batch.keep[keep_index(cell, month, 3)];
      const Vector4 u(batch.input_tC_ha[input_index(cell, month, 0)],
                      batch.input_tC_ha[input_index(cell, month, 1)], 0.0,
                      batch.input_tC_ha[input_index(cell, month, 2)]);
      a = m * a;
      b = m * b + u;
    }
    Vector4 x = Vector4::Zero();
    if (retained < 1.0) {
      x = (Matrix4::Identity() - a).partialPivLu().solve(b);
    } else if (b.cwiseAbs().maxCoeff() > 0.0) {
      throw DataError("RothC batch, cell " + std::to_string(cell) +
                      ": no steady state: the rate factor a·b·c is 0 in all 12 months (every "
                      "mean temperature below -5 °C) while carbon is added");
    }
    batch.dpm_tC_ha[cell] = x(0);
    batch.rpm_tC_ha[cell] = x(1);
    batch.bio_tC_ha[cell] = x(2);
    batch.hum_tC_ha[cell] = x(3);
    batch.co2_cum_tC_ha[cell] = 0.0;
  }
}

void run_rothc_batch(RothCBatch& batch, int years, std::span<double> soc_yearly_tC_ha) {
  if (years < 0) {
    throw DataError("RothC batch: years = " + std::to_string(years) + ": must be >= 0");
  }
  const std::size_t n_years = static_cast<std::size_t>(years);
  const bool record = !soc_yearly_tC_ha.empty();
  if (record && soc_yearly_tC_ha.size() != batch.cell_count * n_years) {
    throw DataError("RothC batch: soc_yearly_tC_ha holds " +
                    std::to_string(soc_yearly_tC_ha.size()) + " values; expected cells × years = " +
                    std::to_string(batch.cell_count * n_years) + " (or none)");
  }
  const std::size_t blocks = (batch.cell_count + kLanes - 1) / kLanes;
  for (std::size_t block = 0; block < blocks; ++block) {
    const std::size_t first = block * kLanes;
    alignas(64) double dpm[kLanes], rpm[kLanes], bio[kLanes], hum[kLanes], co2[kLanes];
    alignas(64) double f_co2[kLanes], f_bio[kLanes], f_hum[kLanes];
    for (std::size_t lane = 0; lane < kLanes; ++lane) {
      dpm[lane] = batch.dpm_tC_ha[first + lane];
      rpm[lane] = batch.rpm_tC_ha[first + lane];
      bio[lane] = batch.bio_tC_ha[first + lane];
      hum[lane] = batch.hum_tC_ha[first + lane];
      co2[lane] = batch.co2_cum_tC_ha[first + lane];
      f_co2[lane] = batch.to_co2_frac[first + lane];
      f_bio[lane] = batch.to_bio_frac[first + lane];
      f_hum[lane] = batch.to_hum_frac[first + lane];
    }
    const double* keep_block = batch.keep.data() + block * kMonths * kPools * kLanes;
    const double* input_block = batch.input_tC_ha.data() + block * kMonths * kInputs * kLanes;
    for (std::size_t year = 0; year < n_years; ++year) {
      for (std::size_t month = 0; month < kMonths; ++month) {
        const double* keep = keep_block + month * kPools * kLanes;
        const double* in = input_block + month * kInputs * kLanes;
        for (std::size_t lane = 0; lane < kLanes; ++lane) {
          const double dpm1 = dpm[lane] * keep[lane];
          const double rpm1 = rpm[lane] * keep[kLanes + lane];
          const double bio1 = bio[lane] * keep[2 * kLanes + lane];
          const double hum1 = hum[lane] * keep[3 * kLanes + lane];
          const double lost =
              (dpm[lane] - dpm1) + (rpm[lane] - rpm1) + (bio[lane] - bio1) + (hum[lane] - hum1);
          dpm[lane] = dpm1 + in[lane];
          rpm[lane] = rpm1 + in[kLanes + lane];
          bio[lane] = bio1 + f_bio[lane] * lost;
          hum[lane] = hum1 + f_hum[lane] * lost + in[2 * kLanes + lane];
          co2[lane] += f_co2[lane] * lost;
        }
      }
      if (record) {
        for (std::size_t lane = 0; lane < kLanes && first + lane < batch.cell_count; ++lane) {
          soc_yearly_tC_ha[(first + lane) * n_years + year] =
              dpm[lane] + rpm[lane] + bio[lane] + hum[lane] + batch.iom_tC_ha[first + lane];
        }
      }
    }
    for (std::size_t lane = 0; lane < kLanes; ++lane) {
      batch.dpm_tC_ha[first + lane] = dpm[lane];
      batch.rpm_tC_ha[first + lane] = rpm[lane];
      batch.bio_tC_ha[first + lane] = bio[lane];
      batch.hum_tC_ha[first + lane] = hum[lane];
      batch.co2_cum_tC_ha[first + lane] = co2[lane];
    }
  }
}

RothCPools rothc_batch_pools(const RothCBatch& batch, std::size_t cell) {
  RothCPools pools;
  pools.dpm_tC_ha = batch.dpm_tC_ha.at(cell);
  pools.rpm_tC_ha = batch.rpm_tC_ha.at(cell);
  pools.bio_tC_ha = batch.bio_tC_ha.at(cell);
  pools.hum_tC_ha = batch.hum_tC_ha.at(cell);
  pools.iom_tC_ha = batch.iom_tC_ha.at(cell);
  return pools;
}

}  // namespace minecarbon::carbon
